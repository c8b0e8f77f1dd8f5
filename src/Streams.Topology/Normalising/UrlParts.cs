using Streams.Contracts.Curated;

namespace Streams.Topology.Normalising;

/// <summary>
/// Splits a logged request URL into ECS url.* parts without ever throwing. Scheme, host and port come from
/// System.Uri (which validates them); path and query are cut from the text as logged, because Uri would
/// unescape, re-escape and resolve "../" segments, and url.path must show what the client sent.
/// </summary>
public static class UrlParts
{
    /// <summary>Longer URLs are left to System.Uri, which has its own length limit.</summary>
    private const int MaxPlainLength = 8192;

    private static readonly System.Buffers.SearchValues<char> DnsLabelCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static Url? From(string? original)
    {
        if (string.IsNullOrEmpty(original) || original == "-")
        {
            return null;
        }

        var url = new Url { original = original };
        var pathStart = 0;
        var schemeEnd = original.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && TryReadPlainHttpAuthority(original, schemeEnd, out var scheme, out var host, out var explicitPort, out var end))
        {
            url.scheme = scheme;
            url.domain = host;
            url.port = explicitPort;
            pathStart = end;
        }
        else if (schemeEnd > 0)
        {
            if (!Uri.TryCreate(original, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown
                || !TryIdnHost(uri, out var idnHost))
            {
                // Not a URL Uri can read: keep it as logged, guess nothing.
                return url;
            }

            url.scheme = uri.Scheme;
            url.domain = NullIfEmpty(idnHost.Trim('[', ']'));
            url.port = uri.IsDefaultPort && !HasExplicitPort(original, schemeEnd) ? null : uri.Port;
            var authorityEnd = original.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
            pathStart = authorityEnd < 0 ? original.Length : authorityEnd;
        }

        var rest = original.AsSpan(pathStart);
        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = rest.IndexOf('?');
        url.path = NullIfEmpty((query < 0 ? rest : rest[..query]).ToString());
        url.query = query < 0 ? null : NullIfEmpty(rest[(query + 1)..].ToString());
        return url;
    }

    /// <summary>Uri accepts some hosts whose IDN form it then refuses to give (UriFormatException).</summary>
    private static bool TryIdnHost(Uri uri, out string host)
    {
        try
        {
            host = uri.IdnHost;
            return true;
        }
        catch (UriFormatException)
        {
            host = string.Empty;
            return false;
        }
    }

    /// <summary>
    /// The common case without System.Uri: "http://" or "https://", then a lower-case DNS name (letters, digits,
    /// inner hyphens; no label starting with a digit) or a canonical dotted-quad IPv4, then an optional port
    /// without leading zeros, and only printable ASCII in the whole URL. Uri accepts each such URL and gives the
    /// same scheme, host and port; anything else (upper case, IDN, IPv6, user info, odd numbers) is left to it.
    /// </summary>
    private static bool TryReadPlainHttpAuthority(string original, int schemeEnd, out string scheme, out string host, out int? port, out int authorityEnd)
    {
        scheme = schemeEnd switch
        {
            4 when original.StartsWith("http", StringComparison.Ordinal) => "http",
            5 when original.StartsWith("https", StringComparison.Ordinal) => "https",
            _ => string.Empty,
        };
        host = string.Empty;
        port = null;
        authorityEnd = original.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
        authorityEnd = authorityEnd < 0 ? original.Length : authorityEnd;
        if (scheme.Length == 0 || original.Length > MaxPlainLength || original.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            return false;
        }

        var authority = original.AsSpan(schemeEnd + 3, authorityEnd - schemeEnd - 3);
        var colon = authority.IndexOf(':');
        var name = colon < 0 ? authority : authority[..colon];
        if (!IsPlainDnsName(name) && !IsCanonicalIpv4(name))
        {
            return false;
        }

        if (colon >= 0)
        {
            var digits = authority[(colon + 1)..];
            if (digits.IsEmpty || digits.Length > 5 || (digits[0] == '0' && digits.Length > 1) || digits.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            var value = int.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            if (value > 65535)
            {
                return false;
            }

            port = value;
        }

        host = name.ToString();
        return true;
    }

    /// <summary>Labels of a-z, 0-9 and inner single hyphens, none starting with a digit (Uri reads such as numbers).</summary>
    private static bool IsPlainDnsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 253)
        {
            return false;
        }

        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.IsEmpty || label.Length > 63 || !char.IsAsciiLetterLower(label[0]) || label[^1] == '-'
                || label.Contains("--", StringComparison.Ordinal) || label.ContainsAnyExcept(DnsLabelCharacters))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"10.0.1.5": four decimal numbers up to 255 without leading zeros, which Uri keeps as written.</summary>
    private static bool IsCanonicalIpv4(ReadOnlySpan<char> name)
    {
        var parts = 0;
        foreach (var range in name.Split('.'))
        {
            var part = name[range];
            if (++parts > 4 || part.IsEmpty || part.Length > 3 || (part[0] == '0' && part.Length > 1)
                || part.ContainsAnyExceptInRange('0', '9') || int.Parse(part, provider: System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }

    /// <summary>ELB writes the port even when it is the default (http://host:80/); ECS keeps what was logged.</summary>
    private static bool HasExplicitPort(string original, int schemeEnd)
    {
        var authorityEnd = original.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
        var authority = original.AsSpan(schemeEnd + 3, (authorityEnd < 0 ? original.Length : authorityEnd) - schemeEnd - 3);
        var closingBracket = authority.LastIndexOf(']');
        return authority[(closingBracket + 1)..].Contains(':');
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
