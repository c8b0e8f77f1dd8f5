using Streams.Runtime;

namespace Streams.Connectors.Laravel;

/// <summary>What the Laravel log tailer reads; <see cref="Validate"/> names the key of the first wrong setting.</summary>
public sealed record LaravelSourceOptions
{
    /// <summary>laravel.path: an absolute path whose file name may hold * and ? (<c>/var/log/app/laravel*.log</c>).</summary>
    public required string PathGlob { get; init; }

    /// <summary>laravel.idle.flush.ms: how long the last entry waits for more lines before it is sent.</summary>
    public TimeSpan IdleFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>laravel.read.chunk.bytes: bytes read from a file at a time.</summary>
    public int ReadChunkSize { get; init; } = 64 * 1024;

    /// <summary>laravel.host: the host part of the origin key.</summary>
    public string Host { get; init; } = Environment.MachineName;

    public LaravelSourceOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(PathGlob) || !Path.IsPathFullyQualified(PathGlob))
        {
            throw new StreamsConfigException("laravel.path", "must be an absolute path such as /var/log/app/laravel*.log");
        }

        var directory = Path.GetDirectoryName(PathGlob);
        if (string.IsNullOrEmpty(directory) || directory.AsSpan().IndexOfAny('*', '?') >= 0 || string.IsNullOrEmpty(Path.GetFileName(PathGlob)))
        {
            throw new StreamsConfigException("laravel.path", "may use * and ? in the file name only");
        }

        if (IdleFlushTimeout <= TimeSpan.Zero || IdleFlushTimeout > TimeSpan.FromMinutes(10))
        {
            throw new StreamsConfigException("laravel.idle.flush.ms", "must be between 1 ms and 10 minutes");
        }

        if (ReadChunkSize is < 512 or > 16 * 1024 * 1024)
        {
            throw new StreamsConfigException("laravel.read.chunk.bytes", "must be between 512 and 16777216");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new StreamsConfigException("laravel.host", "must not be empty");
        }

        return this;
    }
}
