using Streams.Connectors.Files;

namespace Streams.Connectors.Mongodb;

/// <summary>What the mongod log tailer reads (keys under <c>mongodb.file.</c>); <see cref="Validate"/> names the key of the first wrong setting.</summary>
public sealed record MongodbFileOptions
{
    public const string KeyPrefix = "mongodb.file.";

    /// <summary>mongodb.file.path: the mongod log (systemLog.path), an absolute path whose file name may hold * and ? (<c>/var/log/mongodb/mongod.log*</c>).</summary>
    public required string PathGlob { get; init; }

    /// <summary>mongodb.file.idle.flush.ms: how long a file no longer under the glob stays open once quiet.</summary>
    public TimeSpan IdleFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>mongodb.file.read.chunk.bytes: bytes read from a file at a time.</summary>
    public int ReadChunkSize { get; init; } = 64 * 1024;

    /// <summary>mongodb.file.host: the host part of the origin key.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>The tailer's settings.</summary>
    public FileTailOptions Tail => new() { PathGlob = PathGlob, IdleFlushTimeout = IdleFlushTimeout, ReadChunkSize = ReadChunkSize, Host = Host };

    public MongodbFileOptions Validate()
    {
        Tail.Validate(KeyPrefix, "/var/log/mongodb/mongod.log*");
        return this;
    }
}
