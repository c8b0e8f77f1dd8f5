namespace Streams.Connectors.Mysql;

/// <summary>
/// Where to resume in one MySQL log file: the byte offset of the next unread entry, and the last time the file
/// printed before it. The server prints a time only when it changes, so an entry read after a restart inherits the
/// time from here rather than from lines that were read before the restart.
/// </summary>
/// <param name="LastTime">The last time text printed up to <paramref name="ByteOffset"/>, as printed; null when none was.</param>
public sealed record MysqlFileOffset(string FileIdentity, string Path, long ByteOffset, string? LastTime);
