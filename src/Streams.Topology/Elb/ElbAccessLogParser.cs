using Streams.Topology.Parsing;

namespace Streams.Topology.Elb;

/// <summary>
/// Parses one access log line of an Application, Classic or Network Load Balancer, telling the kind
/// from the line itself: Classic lines start with the timestamp, NLB lines with "tls" and a version,
/// anything else is read as ALB. Pure and allocation-light; never throws on data.
/// </summary>
public static class ElbAccessLogParser
{
    /// <summary>Generous bound over the 33 documented ALB fields, leaving room for fields AWS adds later.</summary>
    public const int MaxFields = 64;

    public static ParseResult<ElbAccessLogEntry> Parse(string? line) =>
        line is null ? ParseResult<ElbAccessLogEntry>.Fail("ELB line is null") : Parse(line.AsSpan());

    /// <summary>Parses UTF-8 bytes as read from a log file or topic; invalid UTF-8 is rejected, not replaced.</summary>
    public static ParseResult<ElbAccessLogEntry> Parse(ReadOnlySpan<byte> utf8Line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Line))
        {
            return ParseResult<ElbAccessLogEntry>.Fail("ELB line is not valid UTF-8");
        }

        return Parse(System.Text.Encoding.UTF8.GetString(utf8Line).AsSpan());
    }

    public static ParseResult<ElbAccessLogEntry> Parse(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd("\r\n\t ");
        if (line.IsWhiteSpace())
        {
            return ParseResult<ElbAccessLogEntry>.Fail("ELB line is empty");
        }

        Span<QuotedField> buffer = stackalloc QuotedField[MaxFields];
        var count = QuotedFieldTokenizer.Tokenize(line, buffer);
        if (count > MaxFields)
        {
            return ParseResult<ElbAccessLogEntry>.Fail($"ELB line has {count} fields, more than the {MaxFields} accepted");
        }

        ReadOnlySpan<QuotedField> fields = buffer[..count];
        return DetectKind(line, fields) switch
        {
            ElbAccessLogKind.Classic => ClassicElbLineParser.Parse(line, fields),
            ElbAccessLogKind.Nlb => NlbLineParser.Parse(line, fields),
            _ => AlbLineParser.Parse(line, fields),
        };
    }

    internal static ElbAccessLogKind DetectKind(ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields)
    {
        var first = fields[0].Raw(line);
        if (char.IsAsciiDigit(first[0]))
        {
            return ElbAccessLogKind.Classic;
        }

        if (first is "tls" && fields.Length > 1 && IsVersion(fields[1].Raw(line)))
        {
            return ElbAccessLogKind.Nlb;
        }

        return ElbAccessLogKind.Alb;
    }

    private static bool IsVersion(ReadOnlySpan<char> text) =>
        text.Length >= 3 && char.IsAsciiDigit(text[0]) && text[1] == '.' && char.IsAsciiDigit(text[2]);
}
