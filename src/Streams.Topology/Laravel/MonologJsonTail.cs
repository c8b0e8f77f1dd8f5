using System.Text;
using System.Text.Json;

namespace Streams.Topology.Laravel;

/// <summary>
/// Splits Monolog's "message {context} {extra}" into its parts. Context and extra are a JSON object, or "[]"
/// when empty; a trailing "{...}" that is not valid JSON belongs to the message. The values are found by
/// matching brackets backwards from the end, so the cost is linear in the entry's length.
/// </summary>
internal static class MonologJsonTail
{
    public static (string Message, string? Context, string? Extra) Split(string body)
    {
        var end = body.AsSpan().TrimEnd().Length;
        if (!TryReadValueEndingAt(body, end, out var lastStart, out var last))
        {
            return (body[..end], null, null);
        }

        var beforeLast = body.AsSpan(0, lastStart).TrimEnd().Length;
        return TryReadValueEndingAt(body, beforeLast, out var firstStart, out var first)
            ? (body[..firstStart].TrimEnd(), first, last)
            : (body[..lastStart].TrimEnd(), last, null);
    }

    /// <summary>A JSON value ending at <paramref name="end"/>, preceded by whitespace (Monolog's separator).</summary>
    private static bool TryReadValueEndingAt(string text, int end, out int start, out string json)
    {
        json = string.Empty;
        start = FindOpening(text, end);
        return start > 0 && char.IsWhiteSpace(text[start - 1]) && TryNormalize(text.AsSpan(start, end - start), out json);
    }

    private static int FindOpening(string text, int end)
    {
        if (end == 0 || text[end - 1] is not ('}' or ']'))
        {
            return -1;
        }

        var depth = 0;
        var inString = false;
        for (var i = end - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c == '"' && (!inString || !IsEscaped(text, i)))
            {
                inString = !inString;
            }
            else if (!inString && c is '}' or ']')
            {
                depth++;
            }
            else if (!inString && c is '{' or '[' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsEscaped(string text, int quote)
    {
        var backslashes = 0;
        for (var i = quote - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    /// <summary>
    /// Validates a candidate and escapes the raw line breaks Monolog leaves inside strings (it unescapes them
    /// so stack traces read well), which strict JSON does not allow.
    /// </summary>
    private static bool TryNormalize(ReadOnlySpan<char> candidate, out string json)
    {
        var text = new StringBuilder(candidate.Length + 16);
        var inString = false;
        for (var i = 0; i < candidate.Length; i++)
        {
            var c = candidate[i];
            if (inString && c == '\\' && i + 1 < candidate.Length)
            {
                text.Append(c).Append(candidate[++i]);
            }
            else if (inString && c < ' ')
            {
                text.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
            }
            else
            {
                inString ^= c == '"';
                text.Append(c);
            }
        }

        json = text.ToString();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object || (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 0);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: a lone surrogate that cannot be turned into UTF-8.
            return false;
        }
    }
}
