namespace Streams.Connectors.Elb;

/// <summary>
/// Where to resume in one log folder: the last object read from and the lines of it already sent. When
/// <paramref name="Complete"/>, the object is done and listing resumes after it (ListObjectsV2 StartAfter).
/// </summary>
public sealed record ElbObjectOffset(string ObjectKey, long LineNumber, bool Complete);
