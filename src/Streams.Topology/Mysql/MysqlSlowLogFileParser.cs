using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>
/// The slow query log file of MySQL 5.x/8 and MariaDB. An entry is an optional "# Time:" line (omitted when the
/// time did not change), "# User@Host:", more "#" header lines, then optional "use db;" and "SET timestamp=N;"
/// lines and the statement, which may span lines.
/// </summary>
public static class MysqlSlowLogFileParser
{
    private const string TimeHeader = "# Time:";
    private const string UserHostHeader = "# User@Host:";

    /// <summary>Cuts the whole text of a slow log file into entries; banner lines are dropped.</summary>
    public static IEnumerable<MysqlLogEntryText> SplitEntries(string text) => SplitEntries(MysqlLogSplitter.Lines(text));

    /// <summary>Cuts a sequence of slow log lines into entries; banner lines are dropped.</summary>
    public static IEnumerable<MysqlLogEntryText> SplitEntries(IEnumerable<string> lines) =>
        MysqlLogSplitter.Split(lines, StartsEntry, TimeOf);

    /// <summary>
    /// Whether <paramref name="line"/> opens an entry, given the line before it in the current entry: a "# Time:"
    /// line, or a "# User@Host:" line that no "# Time:" line just opened.
    /// </summary>
    public static bool StartsEntry(string line, string previousLine) =>
        IsTimeHeader(line) || (IsUserHostHeader(line) && !IsTimeHeader(previousLine));

    /// <summary>The time of a "# Time:" line, or null for any other line.</summary>
    public static string? TimeOf(string line) => IsTimeHeader(line) ? line[TimeHeader.Length..].Trim() : null;

    /// <summary>
    /// Parses one entry. "# Time:" values without an offset (MariaDB's "190324 16:03:00") are wall-clock times
    /// in <paramref name="timeZone"/> (default UTC).
    /// </summary>
    public static ParseResult<MysqlSlowEntry> ParseEntry(MysqlLogEntryText entry, TimeZoneInfo? timeZone = null)
    {
        var lines = new Lines(entry?.Text ?? string.Empty);
        var inherited = entry?.InheritedTime;
        var hasTime = inherited is not null;
        var timeText = inherited.AsSpan();
        var first = lines.Current;
        if (IsTimeHeader(first))
        {
            hasTime = true;
            timeText = first[TimeHeader.Length..];
            lines.MoveNext();
        }

        DateTimeOffset? headerTime = null;
        if (hasTime)
        {
            if (!MysqlTime.TryParse(timeText, timeZone ?? TimeZoneInfo.Utc, out var utc))
            {
                return Fail("slow log '# Time' value is not a MySQL time");
            }

            headerTime = utc;
        }

        MysqlUserHost? userHost = null;
        long? connectionId = null;
        var fields = new MysqlSlowLogFields();
        for (; !lines.AtEnd && IsHeaderLine(lines.Current); lines.MoveNext())
        {
            var line = lines.Current;
            if (IsUserHostHeader(line))
            {
                var error = ReadUserHost(line, out userHost, out connectionId);
                if (error is not null)
                {
                    return Fail(error);
                }
            }
            else if (!IsTimeHeader(line))
            {
                fields.Read(line);
            }
        }

        if (userHost is null)
        {
            return Fail("slow log entry has no '# User@Host' header");
        }

        var database = TakeUseLine(ref lines);
        if (!TryTakeSetTimestamp(ref lines, out var statementStart))
        {
            return Fail("slow log 'SET timestamp' value is not seconds since the epoch");
        }

        database ??= TakeUseLine(ref lines);
        var statement = lines.Rest();
        if (statement.Length == 0)
        {
            return Fail("slow log entry has no statement");
        }

        if ((statementStart ?? headerTime) is not { } eventTime)
        {
            return Fail("slow log entry has no time: no '# Time' header before it and no 'SET timestamp'");
        }

        return Build(fields, eventTime, headerTime, userHost, connectionId, database, statement);
    }

    private static ParseResult<MysqlSlowEntry> Build(
        MysqlSlowLogFields fields,
        DateTimeOffset eventTime,
        DateTimeOffset? headerTime,
        MysqlUserHost userHost,
        long? connectionId,
        string? database,
        string statement)
    {
        if (fields.Take("Query_time") is not { } queryText)
        {
            return Fail("slow log entry has no '# Query_time' header");
        }

        if (!MysqlDuration.TryParseSeconds(queryText, out var queryTime))
        {
            return Fail("slow log Query_time is not a number of seconds");
        }

        if (!MysqlDuration.TryParseSeconds(fields.Take("Lock_time"), out var lockTime))
        {
            return Fail("slow log Lock_time is missing or not a number of seconds");
        }

        if (!fields.TryTakeCount("Rows_sent", out var rowsSent) || rowsSent is null
            || !fields.TryTakeCount("Rows_examined", out var rowsExamined) || rowsExamined is null)
        {
            return Fail("slow log Rows_sent or Rows_examined is missing or not a count");
        }

        if (!fields.TryTakeCount("Rows_affected", out var rowsAffected)
            || !fields.TryTakeCount("Bytes_sent", out var bytesSent)
            || !fields.TryTakeCount("Thread_id", out var threadId))
        {
            return Fail("slow log Rows_affected, Bytes_sent or Thread_id is not a count");
        }

        var schema = fields.Take("Schema");
        return ParseResult<MysqlSlowEntry>.Ok(new MysqlSlowEntry
        {
            EventTime = eventTime,
            HeaderTime = headerTime,
            UserHost = userHost,
            ThreadId = connectionId ?? threadId,
            Database = database ?? (string.IsNullOrEmpty(schema) ? null : schema),
            QueryTime = queryTime,
            LockTime = lockTime,
            RowsSent = rowsSent.Value,
            RowsExamined = rowsExamined.Value,
            RowsAffected = rowsAffected,
            BytesSent = bytesSent,
            Statement = statement,
            Attributes = fields.Remaining(),
        });
    }

    /// <summary>Reads "# User@Host: root[root] @ localhost []  Id:    14" (MySQL adds the connection id).</summary>
    private static string? ReadUserHost(ReadOnlySpan<char> line, out MysqlUserHost? userHost, out long? connectionId)
    {
        userHost = null;
        connectionId = null;
        var text = line[UserHostHeader.Length..];
        var idAt = text.LastIndexOf(" Id:");
        if (idAt >= 0 && text.LastIndexOf(']') < idAt)
        {
            if (!long.TryParse(text[(idAt + 4)..].Trim(), System.Globalization.NumberStyles.None, null, out var id))
            {
                return "slow log User@Host 'Id' is not a number";
            }

            connectionId = id;
            text = text[..idAt];
        }

        var parsed = MysqlUserHost.Parse(text);
        userHost = parsed.Value;
        return parsed.Value is null ? "slow log " + parsed.Error : null;
    }

    private static string? TakeUseLine(ref Lines lines)
    {
        var line = lines.AtEnd ? [] : lines.Current;
        if (!line.StartsWith("use ", StringComparison.Ordinal) || !line.EndsWith(';') || line.Length < 6)
        {
            return null;
        }

        lines.MoveNext();
        return line[4..^1].Trim().Trim('`').ToString();
    }

    private static bool TryTakeSetTimestamp(ref Lines lines, out DateTimeOffset? start)
    {
        start = null;
        const string Prefix = "SET timestamp=";
        var line = lines.AtEnd ? [] : lines.Current;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal) || !line.EndsWith(';'))
        {
            return true;
        }

        lines.MoveNext();
        if (!MysqlTime.TryParseEpochSeconds(line[Prefix.Length..^1], out var utc))
        {
            return false;
        }

        start = utc;
        return true;
    }

    private static bool IsTimeHeader(ReadOnlySpan<char> line) => line.StartsWith(TimeHeader, StringComparison.Ordinal);

    private static bool IsUserHostHeader(ReadOnlySpan<char> line) => line.StartsWith(UserHostHeader, StringComparison.Ordinal);

    // "# administrator command: Quit;" stands where the statement would and is not a header.
    private static bool IsHeaderLine(ReadOnlySpan<char> line) =>
        line.StartsWith('#') && !line.StartsWith("# administrator command:", StringComparison.Ordinal);

    private static ParseResult<MysqlSlowEntry> Fail(string reason) => ParseResult<MysqlSlowEntry>.Fail(reason);

    /// <summary>The '\n'-separated lines of an entry, read in place: a text with n line breaks has n + 1 lines.</summary>
    private ref struct Lines(string text)
    {
        private int _start;
        private int _end = LineEnd(text, 0);

        /// <summary>True once every line was passed.</summary>
        public readonly bool AtEnd => _start > text.Length;

        public readonly ReadOnlySpan<char> Current => text.AsSpan(_start, _end - _start);

        public void MoveNext()
        {
            _start = _end + 1;
            _end = _start > text.Length ? _start : LineEnd(text, _start);
        }

        /// <summary>The current line and every one after it, joined by their '\n's as in the text.</summary>
        public readonly string Rest() => AtEnd ? string.Empty : text[_start..];

        private static int LineEnd(string text, int start)
        {
            var newline = text.IndexOf('\n', start);
            return newline < 0 ? text.Length : newline;
        }
    }
}
