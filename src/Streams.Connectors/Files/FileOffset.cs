namespace Streams.Connectors.Files;

/// <summary>
/// Where to resume in one file, as Filebeat's registry keeps it: the byte offset of the next unread entry. Stored as
/// JSON <c>{"fileIdentity":…,"path":…,"byteOffset":…}</c>; offsets written before this type was shared keep parsing.
/// </summary>
public sealed record FileOffset(string FileIdentity, string Path, long ByteOffset)
{
    /// <summary>The offset just past <paramref name="entry"/>.</summary>
    public static FileOffset After(FileEntry entry) => new(entry.Identity.ToString(), entry.Path, entry.EndOffset);
}
