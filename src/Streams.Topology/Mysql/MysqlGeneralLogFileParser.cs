using System.Buffers;
using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>
/// The general query log file of MariaDB and MySQL 5.x/8: "Time  Id Command  Argument" columns, one event per
/// line unless the argument spans lines. MariaDB (and MySQL before 5.7) prints "YYMMDD H:MM:SS" only when the
/// second changes and starts other lines with tabs; MySQL 5.7+ prints an ISO time on every line.
/// </summary>
public static class MysqlGeneralLogFileParser
{
    private const int MaxCommandLength = 32;
    private const int MaxTimeLength = 40;

    private static readonly SearchValues<char> TimeCharacters = SearchValues.Create("0123456789-:.TZ+ ");

    /// <summary>Cuts the whole text of a general log file into entries; banner lines are dropped.</summary>
    public static IEnumerable<MysqlLogEntryText> SplitEntries(string text) => SplitEntries(MysqlLogSplitter.Lines(text));

    /// <summary>Cuts a sequence of general log lines into entries; banner lines are dropped.</summary>
    public static IEnumerable<MysqlLogEntryText> SplitEntries(IEnumerable<string> lines) =>
        MysqlLogSplitter.Split(lines, (line, _) => StartsEntry(line), TimeOf);

    /// <summary>Whether <paramref name="line"/> opens an entry; the continuation lines of a multi-line statement do not.</summary>
    public static bool StartsEntry(string line) => TryReadPrefix(line, out LinePrefix _);

    /// <summary>The time printed at the start of an entry's first line, or null when the server left it out (unchanged).</summary>
    public static string? TimeOf(string line) =>
        TryReadPrefix(line, out var prefix) && prefix.Time.Length > 0 ? prefix.Time.ToString() : null;

    /// <summary>Parses one entry. The file has no zone: times are wall-clock times in <paramref name="timeZone"/> (default UTC).</summary>
    public static ParseResult<MysqlGeneralEntry> ParseEntry(MysqlLogEntryText entry, TimeZoneInfo? timeZone = null)
    {
        var text = entry?.Text ?? string.Empty;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = newline < 0 ? text : text[..newline];
        if (!TryReadPrefix(firstLine, out var prefix))
        {
            return ParseResult<MysqlGeneralEntry>.Fail("general log entry does not start with 'Id Command' columns");
        }

        var timeText = prefix.Time.Length > 0 ? prefix.Time.ToString() : entry?.InheritedTime;
        DateTimeOffset? eventTime = null;
        if (timeText is not null)
        {
            if (!MysqlTime.TryParse(timeText, timeZone ?? TimeZoneInfo.Utc, out var utc))
            {
                return ParseResult<MysqlGeneralEntry>.Fail($"general log time '{Shorten(timeText)}' is not a MySQL time");
            }

            eventTime = utc;
        }

        return ParseResult<MysqlGeneralEntry>.Ok(new MysqlGeneralEntry
        {
            EventTime = eventTime,
            ThreadId = prefix.ThreadId,
            Command = prefix.Command.TrimEnd().ToString(),
            // Without the tab after the command (trimmed "Quit" lines) the argument can only be on later lines.
            Argument = prefix.ArgumentStart >= 0 ? text[prefix.ArgumentStart..]
                : newline < 0 ? string.Empty
                : text[(newline + 1)..],
        });
    }

    /// <summary>
    /// Reads "[time]\t[\t]  Id Command\tArgument" up to the argument. Strict enough that a continuation line of
    /// a multi-line statement is not taken for a new event: digits, one space, then a word-like command and a tab.
    /// </summary>
    private static bool TryReadPrefix(ReadOnlySpan<char> line, out LinePrefix prefix)
    {
        prefix = default;
        var firstTab = line.IndexOf('\t');
        if (firstTab < 0 || firstTab > MaxTimeLength || (firstTab > 0 && !LooksLikeTime(line[..firstTab])))
        {
            return false;
        }

        var position = firstTab;
        while (position < line.Length && line[position] is '\t' or ' ')
        {
            position++;
        }

        var digitsStart = position;
        long threadId = 0;
        for (; position < line.Length && char.IsAsciiDigit(line[position]); position++)
        {
            if (position - digitsStart >= 18)
            {
                return false;
            }

            threadId = (threadId * 10) + (line[position] - '0');
        }

        if (position == digitsStart || position >= line.Length || line[position] != ' ')
        {
            return false;
        }

        var commandStart = ++position;
        var commandEnd = line[commandStart..].IndexOf('\t');
        commandEnd = commandEnd < 0 ? line.Length : commandStart + commandEnd;
        var command = line[commandStart..commandEnd];
        if (!IsCommand(command))
        {
            return false;
        }

        prefix = new LinePrefix(line[..firstTab].Trim(), threadId, command, commandEnd < line.Length ? commandEnd + 1 : -1);
        return true;
    }

    private static bool LooksLikeTime(ReadOnlySpan<char> text) =>
        char.IsAsciiDigit(text[0]) && !text.ContainsAnyExcept(TimeCharacters);

    private static bool IsCommand(ReadOnlySpan<char> command)
    {
        if (command.IsEmpty || command.Length > MaxCommandLength || !char.IsAsciiLetterUpper(command[0]))
        {
            return false;
        }

        foreach (var c in command)
        {
            if (!char.IsAsciiLetter(c) && c is not (' ' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private readonly ref struct LinePrefix(ReadOnlySpan<char> time, long threadId, ReadOnlySpan<char> command, int argumentStart)
    {
        public ReadOnlySpan<char> Time { get; } = time;

        public long ThreadId { get; } = threadId;

        public ReadOnlySpan<char> Command { get; } = command;

        /// <summary>Where the argument starts on the line; -1 when no tab follows the command.</summary>
        public int ArgumentStart { get; } = argumentStart;
    }
}
