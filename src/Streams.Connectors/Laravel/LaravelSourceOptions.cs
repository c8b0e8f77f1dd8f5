using Streams.Connectors.Files;

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

    /// <summary>laravel.max.entry.bytes: the most one entry keeps of its stack trace; later lines are left out and counted.</summary>
    public int MaxEntryBytes { get; init; } = FileTailOptions.DefaultMaxEntryBytes;

    /// <summary>The tailer's settings.</summary>
    public FileTailOptions Tail => new() { PathGlob = PathGlob, IdleFlushTimeout = IdleFlushTimeout, ReadChunkSize = ReadChunkSize, Host = Host, MaxEntryBytes = MaxEntryBytes };

    public LaravelSourceOptions Validate()
    {
        Tail.Validate("laravel.", "/var/log/app/laravel*.log");
        return this;
    }
}
