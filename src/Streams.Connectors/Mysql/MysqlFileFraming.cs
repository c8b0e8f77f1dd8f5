using Streams.Connectors.Files;
using Streams.Contracts.Raw;
using Streams.Topology.Mysql;

namespace Streams.Connectors.Mysql;

/// <summary>
/// Cuts a general or slow log file into entries with the topology's own line rules
/// (<see cref="MysqlGeneralLogFileParser"/>, <see cref="MysqlSlowLogFileParser"/>, <see cref="MysqlLogSplitter"/>), so
/// that every entry the connector emits is one the parsers read: the server banner belongs to no entry, blank lines
/// before an entry are skipped and after it are padding.
/// </summary>
internal sealed class MysqlFileFraming : IEntryFraming
{
    public static readonly MysqlFileFraming General = new(MysqlRawKind.GENERAL_FILE);

    public static readonly MysqlFileFraming Slow = new(MysqlRawKind.SLOW_FILE);

    private MysqlFileFraming(MysqlRawKind kind) => Kind = kind;

    /// <summary>The raw record kind of the entries of this log.</summary>
    public MysqlRawKind Kind { get; }

    public bool OneLinePerEntry => false;

    public bool TrimsTrailingBlankLines => true;

    public LineRole Classify(string line, string? previousLine)
    {
        if (MysqlLogSplitter.IsServerBanner(line))
        {
            return LineRole.Skipped;
        }

        if (previousLine is null)
        {
            return string.IsNullOrWhiteSpace(line) ? LineRole.Skipped : LineRole.Opens;
        }

        var opens = Kind == MysqlRawKind.GENERAL_FILE
            ? MysqlGeneralLogFileParser.StartsEntry(line)
            : MysqlSlowLogFileParser.StartsEntry(line, previousLine);
        return opens ? LineRole.Opens : LineRole.Continues;
    }

    /// <summary>The time an entry prints on its first line, or null when the server left it out because it had not changed.</summary>
    public string? TimeOf(string entryText)
    {
        var newline = entryText.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = newline < 0 ? entryText : entryText[..newline];
        return Kind == MysqlRawKind.GENERAL_FILE ? MysqlGeneralLogFileParser.TimeOf(firstLine) : MysqlSlowLogFileParser.TimeOf(firstLine);
    }
}
