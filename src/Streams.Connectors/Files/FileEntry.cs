namespace Streams.Connectors.Files;

/// <summary>One complete entry of a tailed file: its lines joined with \n, and the bytes it spans in the file.</summary>
/// <param name="Path">The file's name when the entry was read (a rotated file is read on under its new name).</param>
/// <param name="EndOffset">Where the next entry starts: the resume point once this entry is committed.</param>
public sealed record FileEntry(string Path, FileIdentity Identity, long StartOffset, long EndOffset, string Text)
{
    /// <summary>The raw record key and origin of every file source: <c>host:path</c>.</summary>
    public string Origin(string host) => host + ":" + Path;
}
