using Streams.Topology.Parsing;

namespace Streams.Topology.Mongodb;

/// <summary>
/// Reads the text log of mongod 4.2 and earlier: <c>2016-11-15T07:04:17.016+0000 I CONTROL  [initandlisten] message</c>,
/// the same with a ctime time (<c>Tue Nov 15 07:04:17.016 I CONTROL [ctx] ...</c>), and the 2.x form with no
/// severity or component (<c>Tue Nov 15 07:04:17.016 [initandlisten] message</c>).
/// </summary>
internal static class MongodbLegacyLogParser
{
    public static ParseResult<MongodbLogEntry> Parse(ReadOnlySpan<char> line, MongodbCtimeContext? ctime)
    {
        DateTimeOffset timestamp;
        ReadOnlySpan<char> rest;
        if (char.IsAsciiDigit(line[0]))
        {
            var end = line.IndexOf(' ');
            var time = end < 0 ? line : line[..end];
            if (!MongodbTimestamp.TryParseIso(time, out timestamp))
            {
                return Fail($"does not start with an ISO 8601 time with a zone: '{Shorten(time)}'");
            }

            rest = end < 0 ? [] : line[end..];
        }
        else
        {
            if (!MongodbTimestamp.LooksLikeCtime(line))
            {
                return Fail($"does not start with an ISO 8601 or ctime time: '{Shorten(line)}'");
            }

            if (ctime is null)
            {
                return Fail("has a ctime time, which has no year or UTC offset; parse it with a MongodbCtimeContext");
            }

            if (!MongodbTimestamp.TryParseCtime(line, ctime, out timestamp, out var consumed))
            {
                return Fail($"has a malformed ctime time: '{Shorten(line)}'");
            }

            rest = line[consumed..];
        }

        rest = rest.TrimStart(' ');
        string? severity = null, component = null;
        if (!rest.StartsWith('['))
        {
            var severityText = NextWord(ref rest);
            if (!IsSeverity(severityText))
            {
                return Fail($"has no severity (F, E, W, I, D1..D5) after the time: '{Shorten(severityText)}'");
            }

            severity = severityText.ToString();
            component = NextWord(ref rest).ToString();
        }

        // The context may contain spaces ("[WT RecordStoreThread: local.oplog.rs]"), so it ends at the first ']'.
        var close = rest.IndexOf(']');
        if (!rest.StartsWith('[') || close < 0)
        {
            return Fail($"has no [context] after the {(severity is null ? "time" : "component")}");
        }

        var context = rest[1..close].ToString();
        var message = rest[(close + 1)..];
        if (message.StartsWith(' '))
        {
            message = message[1..];
        }

        var text = message.ToString();
        var known = MongodbLegacyMessage.Read(text);
        return ParseResult<MongodbLogEntry>.Ok(known.AddTo(new MongodbLogEntry
        {
            Format = MongodbLogFormat.Legacy,
            Timestamp = timestamp,
            Severity = severity,
            Component = component,
            Context = context,
            Message = text,
        }));
    }

    /// <summary>F, E, W, I, D (before 4.2) or D1..D5.</summary>
    private static bool IsSeverity(ReadOnlySpan<char> text) =>
        text is "F" or "E" or "W" or "I" or "D"
        || (text.Length == 2 && text[0] == 'D' && text[1] is >= '1' and <= '5');

    /// <summary>Takes the word up to the next space and skips the (padding) spaces after it.</summary>
    private static ReadOnlySpan<char> NextWord(ref ReadOnlySpan<char> text)
    {
        var end = text.IndexOf(' ');
        var word = end < 0 ? text : text[..end];
        text = end < 0 ? [] : text[end..].TrimStart(' ');
        return word;
    }

    private static string Shorten(ReadOnlySpan<char> text) =>
        text.Length > 40 ? string.Concat(text[..40], "...") : text.ToString();

    private static ParseResult<MongodbLogEntry> Fail(string problem) =>
        ParseResult<MongodbLogEntry>.Fail("MongoDB legacy line " + problem);
}
