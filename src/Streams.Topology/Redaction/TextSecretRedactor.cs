using System.Text.RegularExpressions;

namespace Streams.Topology.Redaction;

/// <summary>
/// Masks secrets in free text: URLs, "key=value", "key: value", "'key' =&gt; 'value'" and quoted-key pairs
/// whose key is sensitive, and the credentials after "Bearer" or "Basic".
/// </summary>
internal sealed partial class TextSecretRedactor(SensitiveNames names, UrlSecretRedactor urls)
{
    public string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        return RedactPairs(RedactAuthorizationSchemes(RedactUrls(text)));
    }

    private string RedactUrls(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        var redactions = new Redactions();
        foreach (Match match in UrlPattern().Matches(text))
        {
            var redacted = urls.Redact(match.Value);
            if (!ReferenceEquals(redacted, match.Value))
            {
                redactions.Add(match.Index, match.Index + match.Length, redacted);
            }
        }

        return redactions.ApplyTo(text);
    }

    private static string RedactAuthorizationSchemes(string text)
    {
        var redactions = new Redactions();
        foreach (Match match in AuthorizationPattern().Matches(text))
        {
            var credentials = match.Groups["credentials"];
            redactions.Add(credentials.Index, credentials.Index + credentials.Length);
        }

        return redactions.ApplyTo(text);
    }

    private string RedactPairs(string text)
    {
        var redactions = new Redactions();
        var position = 0;
        while (position < text.Length)
        {
            var match = KeyPattern().Match(text, position);
            if (!match.Success)
            {
                break;
            }

            position = match.Index + match.Length;
            if (!names.IsSensitive(match.Groups["key"].ValueSpan))
            {
                continue;
            }

            var (start, end, next) = ValueAt(text, position);
            redactions.Add(start, end);
            position = Math.Max(position, next);
        }

        return redactions.ApplyTo(text);
    }

    /// <summary>The value starting at <paramref name="position"/>: the inside of a quoted value, else up to a delimiter.</summary>
    private static (int Start, int End, int Next) ValueAt(string text, int position)
    {
        if (position >= text.Length)
        {
            return (position, position, position);
        }

        var first = text[position];
        if (first is '"' or '\'')
        {
            var close = ClosingQuote(text, position + 1, first, escaped: false);
            return (position + 1, close, Math.Min(text.Length, close + 1));
        }

        // JSON inside a JSON string: {\"password\":\"value\"}.
        if (first == '\\' && position + 1 < text.Length && text[position + 1] is '"' or '\'')
        {
            var close = ClosingQuote(text, position + 2, text[position + 1], escaped: true);
            return (position + 2, close, Math.Min(text.Length, close + 2));
        }

        var end = position;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not (',' or ';' or '&' or ')' or ']' or '}' or '"' or '\'' or '<' or '>'))
        {
            end++;
        }

        return (position, end, end);
    }

    /// <summary>Where the quoted text ends (the index of the closing quote, or the text's end when unterminated).</summary>
    private static int ClosingQuote(string text, int start, char quote, bool escaped)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (escaped)
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == quote)
                {
                    return i;
                }

                continue;
            }

            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return text.Length;
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>`]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\b(?:Bearer|Basic)\s+(?<credentials>[A-Za-z0-9\-._~+/]{8,}=*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationPattern();

    // A key at a token boundary, optionally quoted (also \"…\" inside JSON strings), then =, =>, or : (but not "://").
    [GeneratedRegex(@"(?<![\w.\-\[\]])(?<quote>\\?[""']?)(?<key>[A-Za-z0-9_.\-\[\]]+)\k<quote>[ \t]*(?:=>|=|:(?!//))[ \t]*", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
