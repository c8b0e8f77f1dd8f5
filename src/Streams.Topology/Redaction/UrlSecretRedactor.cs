namespace Streams.Topology.Redaction;

/// <summary>Masks the password in a URL's user-info and the values of sensitive query and fragment parameters.</summary>
internal sealed class UrlSecretRedactor(SensitiveNames names)
{
    /// <summary>Redacts a whole URL ("https://…"), a path with a query ("/login?…") or a bare query string ("a=1&amp;b=2").</summary>
    public string Redact(string url)
    {
        var redactions = new Redactions();
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = 0;
        if (schemeEnd >= 0)
        {
            pathStart = RedactUserInfo(url, schemeEnd + 3, redactions);
        }

        var queryStart = url.IndexOf('?', pathStart);
        var fragmentStart = url.IndexOf('#', pathStart);
        if (queryStart > fragmentStart && fragmentStart >= 0)
        {
            queryStart = -1;
        }

        if (queryStart >= 0)
        {
            RedactParameters(url, queryStart + 1, fragmentStart >= 0 ? fragmentStart : url.Length, redactions);
        }
        else if (schemeEnd < 0 && LooksLikeQueryString(url))
        {
            RedactParameters(url, 0, fragmentStart >= 0 ? fragmentStart : url.Length, redactions);
        }

        // OAuth's implicit flow returns "#access_token=…" in the fragment.
        if (fragmentStart >= 0)
        {
            RedactParameters(url, fragmentStart + 1, url.Length, redactions);
        }

        return redactions.ApplyTo(url);
    }

    /// <summary>Masks "user:secret@" in the authority; returns where the path starts.</summary>
    private static int RedactUserInfo(string url, int authorityStart, Redactions redactions)
    {
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at >= 0)
        {
            var colon = url.IndexOf(':', authorityStart, at - authorityStart);
            if (colon >= 0)
            {
                redactions.Add(colon + 1, at);
            }
        }

        return authorityEnd;
    }

    private void RedactParameters(string url, int start, int end, Redactions redactions)
    {
        var position = start;
        while (position < end)
        {
            var pairEnd = url.IndexOf('&', position, end - position);
            if (pairEnd < 0)
            {
                pairEnd = end;
            }

            var equals = url.IndexOf('=', position, pairEnd - position);
            if (equals > position && names.IsSensitive(Decode(url.AsSpan(position, equals - position))))
            {
                redactions.Add(equals + 1, pairEnd);
            }

            position = pairEnd + 1;
        }
    }

    private static bool LooksLikeQueryString(string text)
    {
        var equals = text.IndexOf('=');
        var slash = text.IndexOf('/');
        return equals > 0 && (slash < 0 || equals < slash);
    }

    private static string Decode(ReadOnlySpan<char> name)
    {
        var text = name.TrimStart('?').ToString().Replace('+', ' ');
        return text.Contains('%') ? Uri.UnescapeDataString(text) : text;
    }
}
