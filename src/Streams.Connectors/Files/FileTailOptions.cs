using Streams.Runtime;

namespace Streams.Connectors.Files;

/// <summary>
/// What one tailer reads; every file source has these settings under its own key prefix, and
/// <see cref="Validate"/> names the key of the first wrong one.
/// </summary>
public sealed record FileTailOptions
{
    /// <summary>&lt;prefix&gt;path: an absolute path whose file name may hold * and ? (<c>/var/log/app/laravel*.log</c>).</summary>
    public required string PathGlob { get; init; }

    /// <summary>&lt;prefix&gt;idle.flush.ms: how long the last entry waits for more lines before it is sent.</summary>
    public TimeSpan IdleFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>&lt;prefix&gt;read.chunk.bytes: bytes read from a file at a time.</summary>
    public int ReadChunkSize { get; init; } = 64 * 1024;

    /// <summary>&lt;prefix&gt;host: the host part of the origin key.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>
    /// &lt;prefix&gt;max.entry.bytes: the most an entry assembled from several lines may hold (Filebeat's multiline
    /// max_bytes). Lines past it are left out and one closing line says how many; the entry's bytes in the file, and so
    /// the offset, still cover them. A single line is never cut: one over max.record.bytes is dead-lettered whole.
    /// </summary>
    public int MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    /// <summary>512 KiB: room for a long stack trace, and well under a Kafka record's 1 MB once the record's other fields are added.</summary>
    public const int DefaultMaxEntryBytes = 512 * 1024;

    /// <param name="keyPrefix">The source's key prefix, such as <c>laravel.</c>.</param>
    /// <param name="pathExample">A typical path for this source, shown when the path is wrong.</param>
    /// <param name="pathKey">The name of the path key after the prefix.</param>
    public FileTailOptions Validate(string keyPrefix, string pathExample, string pathKey = "path")
    {
        var key = keyPrefix + pathKey;
        if (string.IsNullOrWhiteSpace(PathGlob) || !Path.IsPathFullyQualified(PathGlob))
        {
            throw new StreamsConfigException(key, "must be an absolute path such as " + pathExample);
        }

        var directory = Path.GetDirectoryName(PathGlob);
        if (string.IsNullOrEmpty(directory) || directory.AsSpan().IndexOfAny('*', '?') >= 0 || string.IsNullOrEmpty(Path.GetFileName(PathGlob)))
        {
            throw new StreamsConfigException(key, "may use * and ? in the file name only");
        }

        if (IdleFlushTimeout <= TimeSpan.Zero || IdleFlushTimeout > TimeSpan.FromMinutes(10))
        {
            throw new StreamsConfigException(keyPrefix + "idle.flush.ms", "must be between 1 ms and 10 minutes");
        }

        if (ReadChunkSize is < 512 or > 16 * 1024 * 1024)
        {
            throw new StreamsConfigException(keyPrefix + "read.chunk.bytes", "must be between 512 and 16777216");
        }

        if (MaxEntryBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new StreamsConfigException(keyPrefix + "max.entry.bytes", "must be between 1024 and 67108864");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new StreamsConfigException(keyPrefix + "host", "must not be empty");
        }

        return this;
    }
}
