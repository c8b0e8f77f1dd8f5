using System.Buffers;
using System.Text.RegularExpressions;

namespace Streams.Topology.Redaction;

/// <summary>
/// Masks secrets in free text: URLs, "key=value", "key: value", "'key' =&gt; 'value'" and quoted-key pairs
/// whose key is sensitive, and the credentials after "Bearer" or "Basic".
/// </summary>
internal sealed partial class TextSecretRedactor(SensitiveNames names, UrlSecretRedactor urls)
{
    private static readonly char[] Separators = ['=', ':'];

    public string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        return RedactPairs(RedactAuthorizationSchemes(RedactUrls(text)));
    }

    /// <summary>Finds each "scheme://…" by its separator (a regex tried at every letter was the hot spot).</summary>
    private string RedactUrls(string text)
    {
        var redactions = new Redactions();
        var position = 0;
        int separator;
        while ((separator = text.IndexOf("://", position, StringComparison.Ordinal)) >= 0)
        {
            var start = separator;
            while (start > 0 && IsSchemeChar(text[start - 1]))
            {
                start--;
            }

            var end = separator + 3;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('"' or '\'' or '<' or '>' or '`'))
            {
                end++;
            }

            position = end;
            if (start == separator || !char.IsAsciiLetter(text[start]))
            {
                continue;
            }

            var url = text[start..end];
            var redacted = urls.Redact(url);
            if (!ReferenceEquals(redacted, url))
            {
                redactions.Add(start, end, redacted);
            }
        }

        return redactions.ApplyTo(text);
    }

    // Vectorised; string.Contains with OrdinalIgnoreCase compares char by char under invariant globalization.
    private static readonly SearchValues<string> AuthorizationSchemeNames = SearchValues.Create(["bearer", "basic"], StringComparison.OrdinalIgnoreCase);

    private static string RedactAuthorizationSchemes(string text)
    {
        if (!text.AsSpan().ContainsAny(AuthorizationSchemeNames))
        {
            return text;
        }

        var redactions = new Redactions();
        foreach (Match match in AuthorizationPattern().Matches(text))
        {
            var credentials = match.Groups["credentials"];
            redactions.Add(credentials.Index, credentials.Index + credentials.Length);
        }

        return redactions.ApplyTo(text);
    }

    /// <summary>Finds each '=', '=>' or ':' and reads the key before it; only sensitive keys have their value read.</summary>
    private string RedactPairs(string text)
    {
        if (!names.MayOccurIn(text))
        {
            return text;
        }

        var redactions = new Redactions();
        var position = 0;
        int separator;
        while ((separator = text.IndexOfAny(Separators, position)) >= 0)
        {
            position = separator + 1;
            var separatorEnd = SeparatorEnd(text, separator);
            if (separatorEnd < 0 || !names.IsSensitive(KeyBefore(text, separator)))
            {
                continue;
            }

            var valueStart = separatorEnd;
            while (valueStart < text.Length && text[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }

            var (start, end, next) = ValueAt(text, valueStart);
            if (!IsMysqlPasswordFlag(text, separator, start, end))
            {
                redactions.Add(start, end);
            }

            position = Math.Max(position, next);
        }

        return redactions.ApplyTo(text);
    }

    /// <summary>Where the value may start after the separator at <paramref name="at"/>, or -1 if it is none ("://").</summary>
    private static int SeparatorEnd(string text, int at)
    {
        var next = at + 1 < text.Length ? text[at + 1] : '\0';
        if (text[at] == ':')
        {
            return next == '/' && at + 2 < text.Length && text[at + 2] == '/' ? -1 : at + 1;
        }

        // "=>" (PHP arrays) and "==" (a logged comparison still shows the value) are read as one separator.
        return next is '>' or '=' ? at + 2 : at + 1;
    }

    /// <summary>The key ending just before the separator: spaces, then a closing quote (also \"), then key characters.</summary>
    private static ReadOnlySpan<char> KeyBefore(string text, int separator)
    {
        var end = separator;
        while (end > 0 && text[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > 0 && text[end - 1] is '"' or '\'')
        {
            end--;
            if (end > 0 && text[end - 1] == '\\')
            {
                end--;
            }
        }

        var start = end;
        while (start > 0 && IsKeyChar(text[start - 1]))
        {
            start--;
        }

        // "scheme://user:password@host": the user name is not a key, even when it is "token".
        return start >= 2 && text[start - 1] == '/' && text[start - 2] == '/' ? [] : text.AsSpan(start, end - start);
    }

    /// <summary>
    /// MySQL's "Access denied … (using password: YES)" says whether a password was sent, not what it was;
    /// it is how failed logins without a password are told apart, so it is kept.
    /// </summary>
    private static bool IsMysqlPasswordFlag(string text, int separator, int valueStart, int valueEnd) =>
        text.AsSpan(valueStart, valueEnd - valueStart) is "YES" or "NO"
        && text.AsSpan(0, separator).EndsWith("(using password", StringComparison.Ordinal);

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '[' or ']';

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-';

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

    [GeneratedRegex(@"\b(?:Bearer|Basic)\s+(?<credentials>[A-Za-z0-9\-._~+/]{8,}=*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationPattern();
}
