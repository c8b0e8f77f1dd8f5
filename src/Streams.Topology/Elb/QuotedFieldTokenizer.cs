namespace Streams.Topology.Elb;

/// <summary>How a field of a space-separated log line was written.</summary>
internal enum QuotedFieldShape
{
    /// <summary>Plain text up to the next space.</summary>
    Bare,

    /// <summary>One double-quoted string; the value is the text between the quotes.</summary>
    Quoted,

    /// <summary>One double-quoted string containing backslash escapes (<c>\"</c>, <c>\\</c>).</summary>
    QuotedWithEscapes,

    /// <summary>
    /// A quoted string with more text glued to it before the next space, e.g. the NLB
    /// ALPN list <c>"h2","http/1.1"</c>, or a quoted field that lost the space after it.
    /// </summary>
    Glued,

    /// <summary>A quoted string whose closing quote never comes: it runs to the end of the line.</summary>
    Unterminated,
}

/// <summary>One field of a line: where it sits in the line and how it was written.</summary>
internal readonly record struct QuotedField(int Start, int Length, QuotedFieldShape Shape)
{
    public bool IsQuoted => Shape is QuotedFieldShape.Quoted or QuotedFieldShape.QuotedWithEscapes;

    /// <summary>The field exactly as written, quotes included.</summary>
    public ReadOnlySpan<char> Raw(ReadOnlySpan<char> line) => line.Slice(Start, Length);

    /// <summary>The text between the quotes of a quoted field (escapes not yet undone), else the raw text.</summary>
    public ReadOnlySpan<char> Inner(ReadOnlySpan<char> line) =>
        IsQuoted ? line.Slice(Start + 1, Length - 2) : line.Slice(Start, Length);

    /// <summary>The value as a string, with <c>\"</c> and <c>\\</c> undone inside quoted fields.</summary>
    public string Value(ReadOnlySpan<char> line) =>
        Shape == QuotedFieldShape.QuotedWithEscapes ? Unescape(Inner(line)) : Inner(line).ToString();

    private static string Unescape(ReadOnlySpan<char> text)
    {
        // Only \" and \\ are undone; AWS hex-encodes other bytes (\x22) and those stay as written.
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}

/// <summary>
/// Splits a line into space-separated fields where a field may be a double-quoted string
/// containing spaces and backslash-escaped quotes. Used by every ELB access log kind.
/// </summary>
internal static class QuotedFieldTokenizer
{
    private static readonly System.Buffers.SearchValues<char> QuoteOrBackslash =
        System.Buffers.SearchValues.Create("\"\\");

    /// <summary>
    /// Writes the fields of <paramref name="line"/> into <paramref name="fields"/> and returns how many
    /// the line has; when that exceeds the span, only the first <c>fields.Length</c> are written.
    /// Runs of spaces separate fields; nothing here throws, whatever the input.
    /// </summary>
    public static int Tokenize(ReadOnlySpan<char> line, Span<QuotedField> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i >= line.Length)
            {
                return count;
            }

            var start = i;
            QuotedFieldShape shape;
            if (line[i] == '"')
            {
                (i, shape) = ScanQuoted(line, i);
            }
            else
            {
                var space = line[i..].IndexOf(' ');
                i = space < 0 ? line.Length : i + space;
                shape = QuotedFieldShape.Bare;
            }

            if (count < fields.Length)
            {
                fields[count] = new QuotedField(start, i - start, shape);
            }

            count++;
        }
    }

    /// <summary>Scans a field that opens with a quote at <paramref name="open"/>; returns where it ends.</summary>
    private static (int End, QuotedFieldShape Shape) ScanQuoted(ReadOnlySpan<char> line, int open)
    {
        var close = FindClosingQuote(line, open + 1, out var escaped);
        if (close < 0)
        {
            return (line.Length, QuotedFieldShape.Unterminated);
        }

        var next = close + 1;
        if (next == line.Length || line[next] == ' ')
        {
            return (next, escaped ? QuotedFieldShape.QuotedWithEscapes : QuotedFieldShape.Quoted);
        }

        // Text glued after the closing quote: the field runs to the next space outside quotes.
        while (next < line.Length && line[next] != ' ')
        {
            if (line[next] == '"')
            {
                next = FindClosingQuote(line, next + 1, out _);
                if (next < 0)
                {
                    return (line.Length, QuotedFieldShape.Unterminated);
                }
            }

            next++;
        }

        return (next, QuotedFieldShape.Glued);
    }

    /// <summary>Index of the quote closing a string whose content starts at <paramref name="from"/>, or -1.</summary>
    private static int FindClosingQuote(ReadOnlySpan<char> line, int from, out bool escaped)
    {
        escaped = false;
        var i = from;
        while (i < line.Length)
        {
            var hit = line[i..].IndexOfAny(QuoteOrBackslash);
            if (hit < 0)
            {
                return -1;
            }

            i += hit;
            if (line[i] == '"')
            {
                return i;
            }

            // A backslash escapes whatever follows it, so \" does not close the string.
            escaped = true;
            i += 2;
        }

        return -1;
    }
}
