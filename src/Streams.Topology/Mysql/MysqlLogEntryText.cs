namespace Streams.Topology.Mysql;

/// <summary>
/// The raw lines of one MySQL log file entry (joined with '\n'), as a splitter cut them out.
/// </summary>
/// <param name="Text">The entry's lines without line terminators, joined with '\n'.</param>
/// <param name="InheritedTime">
/// The last time text printed before this entry, exactly as printed (e.g. "190324 16:03:00"). MySQL and
/// MariaDB print a time only when it changes, so an entry without its own time happened at this one;
/// null when no time was printed before it.
/// </param>
/// <param name="LineNumber">The 1-based line of the input where the entry starts, to point at bad data.</param>
public sealed record MysqlLogEntryText(string Text, string? InheritedTime, int LineNumber);
