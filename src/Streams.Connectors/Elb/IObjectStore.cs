namespace Streams.Connectors.Elb;

/// <summary>One stored object: its key (a path with '/' separators) and its size in bytes.</summary>
public sealed record StoredObject(string Key, long Size);

/// <summary>
/// Where access-log objects are kept, seen as S3 sees a bucket: keys in UTF-8 binary order, "folders" as key prefixes
/// ending in '/'. An S3 bucket and a local directory (a copy made with <c>aws s3 sync</c>) both fit, so the reading
/// logic is written once.
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>The stable identity of the store (the bucket, or host and directory): the Kafka key of its records.</summary>
    string Origin { get; }

    /// <summary>The bucket name, or the directory of a local copy.</summary>
    string Container { get; }

    /// <summary>The "folders" right under <paramref name="prefix"/> (which ends in '/'), each ending in '/', in key order.</summary>
    IAsyncEnumerable<string> ListFoldersAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/> and sorts after <paramref name="startAfter"/>, in key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, CancellationToken cancellationToken);

    /// <summary>The object's bytes as stored, or null when there is no object at <paramref name="key"/> (any more).</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
}
