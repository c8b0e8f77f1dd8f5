using System.Buffers;
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
    /// <summary>Strict UTF-8: a lone surrogate throws, as it does when <see cref="JsonDocument"/> parses a string.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What ends a run of plain text inside a JSON string: its closing quote, an escape, a raw control character.</summary>
    private static readonly SearchValues<char> InStringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    public static (string Message, string? Context, string? Extra) Split(string body) => Split(body.AsSpan());

    public static (string Message, string? Context, string? Extra) Split(ReadOnlySpan<char> body)
    {
        var end = body.TrimEnd().Length;
        if (!TryReadValueEndingAt(body, end, out var lastStart, out var last))
        {
            return (body[..end].ToString(), null, null);
        }

        var beforeLast = body[..lastStart].TrimEnd().Length;
        return TryReadValueEndingAt(body, beforeLast, out var firstStart, out var first)
            ? (body[..firstStart].TrimEnd().ToString(), first, last)
            : (body[..lastStart].TrimEnd().ToString(), last, null);
    }

    /// <summary>A JSON value ending at <paramref name="end"/>, preceded by whitespace (Monolog's separator).</summary>
    private static bool TryReadValueEndingAt(ReadOnlySpan<char> text, int end, out int start, out string json)
    {
        json = string.Empty;
        start = FindOpening(text, end);
        return start > 0 && char.IsWhiteSpace(text[start - 1]) && TryNormalize(text[start..end], out json);
    }

    private static int FindOpening(ReadOnlySpan<char> text, int end)
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

    private static bool IsEscaped(ReadOnlySpan<char> text, int quote)
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
        json = EscapeControlCharactersInStrings(candidate);
        return IsObjectOrEmptyArray(json);
    }

    /// <summary>
    /// The candidate with raw control characters inside its strings escaped; a backslash in a string escapes the
    /// character after it. Scans from quote to quote, and copies the text once only when something needs escaping.
    /// </summary>
    private static string EscapeControlCharactersInStrings(ReadOnlySpan<char> candidate)
    {
        StringBuilder? text = null;
        var copied = 0;
        var inString = false;
        var i = 0;
        while (i < candidate.Length)
        {
            var hit = inString ? candidate[i..].IndexOfAny(InStringSpecials) : candidate[i..].IndexOf('"');
            if (hit < 0)
            {
                break;
            }

            i += hit;
            var c = candidate[i];
            if (c == '"')
            {
                inString = !inString;
                i++;
            }
            else if (c == '\\')
            {
                i += i + 1 < candidate.Length ? 2 : 1;
            }
            else
            {
                text ??= new StringBuilder(candidate.Length + 16);
                text.Append(candidate[copied..i]);
                text.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
                copied = ++i;
            }
        }

        return text is null ? candidate.ToString() : text.Append(candidate[copied..]).ToString();
    }

    /// <summary>
    /// True when <paramref name="json"/> is one valid JSON document (as <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/>
    /// with default options accepts it) whose root is an object or an empty array. Read with a forward-only
    /// reader, so nothing is built for a value that is only checked.
    /// </summary>
    private static bool IsObjectOrEmptyArray(string json)
    {
        byte[]? rented = null;
        try
        {
            rented = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetByteCount(json));
            var length = StrictUtf8.GetBytes(json, rented);
            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray && (!reader.Read() || reader.TokenType != JsonTokenType.EndArray))
            {
                return false;
            }

            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndArray))
            {
                return false;
            }

            while (reader.Read())
            {
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: a lone surrogate that cannot be turned into UTF-8.
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
