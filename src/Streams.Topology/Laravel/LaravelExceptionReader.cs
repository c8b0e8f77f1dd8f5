using System.Buffers;
using System.Text.Json;

namespace Streams.Topology.Laravel;

/// <summary>
/// Finds the exception a Laravel entry reports, in the forms Laravel versions print:
/// the context's "exception" as "[object] (Class(code: N): message at /path:line)\n[stacktrace]\n#0 ...",
/// the JSON formatter's {"class","message","code","file"} object, or, in the message itself,
/// PHP's "Class: message in /path:line\nStack trace:" and PHP 5's "exception 'Class' with message '...' in ...".
/// </summary>
internal static class LaravelExceptionReader
{
    private const string ObjectMarker = "[object] (";
    private const string StackTraceMarker = "\n[stacktrace]";
    private const string PhpStackTraceMarker = "\nStack trace:";
    private const string Php5Prefix = "exception '";
    private const string Php5MessageMarker = "' with message '";

    /// <summary>Strict UTF-8: a lone surrogate throws, as it does when <see cref="JsonDocument"/> parses a string.</summary>
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly SearchValues<char> PhpNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    public static LaravelException? Read(string message, string? context) =>
        (context is null ? null : FromContext(context)) ?? FromMessage(message);

    private static LaravelException? FromContext(string context)
    {
        if (!MayNameException(context))
        {
            return null;
        }

        byte[]? rented = null;
        try
        {
            rented = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetByteCount(context));
            var reader = new Utf8JsonReader(rented.AsSpan(0, StrictUtf8.GetBytes(context, rented)));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            // The last "exception" property counts, as with JsonElement.TryGetProperty; the whole text must be valid.
            var exception = default(Utf8JsonReader);
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isException = reader.ValueTextEquals("exception"u8);
                reader.Read();
                if (isException)
                {
                    exception = reader;
                    found = true;
                }

                reader.Skip();
            }

            while (reader.Read())
            {
            }

            return !found ? null : exception.TokenType switch
            {
                JsonTokenType.String => FromObjectString(exception.GetString() ?? string.Empty),

                // The JSON formatter's object is rare: read it with the document API.
                JsonTokenType.StartObject => FromContextDocument(context),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException: a lone surrogate that cannot be turned into UTF-8. InvalidOperationException: a
            // string whose escapes spell a lone surrogate (\ud800), valid JSON that cannot be read as a string.
            return null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static LaravelException? FromContextDocument(string context)
    {
        try
        {
            using var document = JsonDocument.Parse(context);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("exception", out var exception))
            {
                return null;
            }

            return exception.ValueKind switch
            {
                JsonValueKind.String => FromObjectString(exception.GetString() ?? string.Empty),
                JsonValueKind.Object => FromNormalizedObject(exception),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// False when no property of <paramref name="context"/> can be named "exception": the name is not written
    /// out and there is no \u escape that could spell it. Spares parsing the context of most entries.
    /// </summary>
    private static bool MayNameException(string context) =>
        context.Contains("\"exception\"", StringComparison.Ordinal) || context.Contains("\\u", StringComparison.Ordinal);

    /// <summary>Monolog's LineFormatter: "[object] (Class(code: N): message at /path:line)" then the trace.</summary>
    private static LaravelException? FromObjectString(string text)
    {
        if (!text.StartsWith(ObjectMarker, StringComparison.Ordinal))
        {
            return null;
        }

        var stackAt = text.IndexOf(StackTraceMarker, StringComparison.Ordinal);
        var header = (stackAt < 0 ? text : text[..stackAt]).AsSpan(ObjectMarker.Length).TrimEnd();
        header = header.EndsWith(')') ? header[..^1] : header;
        var codeAt = header.IndexOf("(code: ", StringComparison.Ordinal);
        var codeEnd = codeAt < 0 ? -1 : header[codeAt..].IndexOf("):", StringComparison.Ordinal) + codeAt;
        if (codeAt <= 0 || codeEnd < codeAt)
        {
            return null;
        }

        var (message, file, line) = SplitLocation(header[(codeEnd + 2)..].TrimStart(' '), " at ");
        var code = header[(codeAt + 7)..codeEnd].ToString();
        var stack = stackAt < 0 ? null : Frames(text.AsSpan(stackAt + StackTraceMarker.Length));
        return new LaravelException(header[..codeAt].ToString(), message, code, file, line, stack);
    }

    /// <summary>Monolog's NormalizerFormatter (JSON logs): {"class","message","code","file":"/path:line","trace":[...]}.</summary>
    private static LaravelException? FromNormalizedObject(JsonElement exception)
    {
        if (!exception.TryGetProperty("class", out var className) || className.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var message = exception.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var code = exception.TryGetProperty("code", out var c) && c.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? c.ToString()
            : null;
        var place = exception.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var (_, file, line) = SplitLocation(" at " + place, " at ");
        var trace = exception.TryGetProperty("trace", out var t) && t.ValueKind == JsonValueKind.Array
            ? string.Join('\n', t.EnumerateArray().Select(frame => frame.ToString()))
            : null;
        return new LaravelException(className.GetString() ?? string.Empty, message ?? string.Empty, code, file, line, trace);
    }

    private static LaravelException? FromMessage(string text)
    {
        var stackAt = text.IndexOf(PhpStackTraceMarker, StringComparison.Ordinal);
        var header = (stackAt < 0 ? text : text[..stackAt]).AsSpan().TrimEnd();
        var stack = stackAt < 0 ? null : Frames(text.AsSpan(stackAt + PhpStackTraceMarker.Length));
        if (header.StartsWith(Php5Prefix, StringComparison.Ordinal))
        {
            var messageAt = header.IndexOf(Php5MessageMarker, StringComparison.Ordinal);
            if (messageAt < 0)
            {
                return null;
            }

            var (quoted, file5, line5) = SplitLocation(header[(messageAt + Php5MessageMarker.Length)..], " in ");
            var message5 = quoted.EndsWith('\'') ? quoted[..^1] : quoted;
            return new LaravelException(header[Php5Prefix.Length..messageAt].ToString(), message5, null, file5, line5, stack);
        }

        var colon = header.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || !IsExceptionClassName(header[..colon]))
        {
            return null;
        }

        var (message, file, line) = SplitLocation(header[(colon + 2)..], " in ");
        return new LaravelException(header[..colon].ToString(), message, null, file, line, stack);
    }

    /// <summary>Splits "message{marker}/path/File.php:123" at its last marker; no location when it does not end so.</summary>
    private static (string Message, string? File, long? Line) SplitLocation(ReadOnlySpan<char> text, string marker)
    {
        var colon = text.LastIndexOf(':');
        var digits = colon < 0 ? default : text[(colon + 1)..];
        var at = colon < 0 ? -1 : text[..colon].LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || digits.IsEmpty || digits.Length > 9 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return (text.ToString(), null, null);
        }

        var file = text[(at + marker.Length)..colon];
        return file.IsEmpty || file.Contains('\n')
            ? (text.ToString(), null, null)
            : (text[..at].ToString(), file.ToString(), long.Parse(digits, provider: null));
    }

    private static string? Frames(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.IsEmpty ? null : text.ToString();
    }

    /// <summary>"TypeError", "Illuminate\Database\QueryException": a PHP class name ending in Error or Exception.</summary>
    private static bool IsExceptionClassName(ReadOnlySpan<char> name)
    {
        name = name.TrimStart('\\');
        if (name.IsEmpty || !(name.EndsWith("Exception", StringComparison.Ordinal) || name.EndsWith("Error", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var range in name.Split('\\'))
        {
            var part = name[range];
            if (part.IsEmpty || char.IsAsciiDigit(part[0]) || part.ContainsAnyExcept(PhpNameCharacters))
            {
                return false;
            }
        }

        return true;
    }
}
