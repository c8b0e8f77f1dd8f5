namespace Streams.Connectors.Laravel;

/// <summary>Where to resume in one file, as Filebeat's registry keeps it: the byte offset of the next unread entry.</summary>
public sealed record LaravelFileOffset(string FileIdentity, string Path, long ByteOffset);
