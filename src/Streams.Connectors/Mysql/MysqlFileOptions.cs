using Streams.Connectors.Files;
using Streams.Runtime;

namespace Streams.Connectors.Mysql;

/// <summary>
/// What the MySQL file connector tails: the general log file, the slow log file, or both (keys under
/// <c>mysql.file.</c>); <see cref="Validate"/> names the key of the first wrong setting.
/// </summary>
public sealed record MysqlFileOptions
{
    public const string KeyPrefix = "mysql.file.";

    /// <summary>mysql.file.general.path: the general log file (general_log_file), an absolute path whose file name may hold * and ?.</summary>
    public string? GeneralPathGlob { get; init; }

    /// <summary>mysql.file.slow.path: the slow log file (slow_query_log_file), an absolute path whose file name may hold * and ?.</summary>
    public string? SlowPathGlob { get; init; }

    /// <summary>mysql.file.idle.flush.ms: how long the last entry waits for more lines before it is sent.</summary>
    public TimeSpan IdleFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>mysql.file.read.chunk.bytes: bytes read from a file at a time.</summary>
    public int ReadChunkSize { get; init; } = 64 * 1024;

    /// <summary>mysql.file.host: the host part of the origin key.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>mysql.file.max.entry.bytes: the most one entry (a long statement, a slow log entry) keeps; later lines are left out and counted.</summary>
    public int MaxEntryBytes { get; init; } = FileTailOptions.DefaultMaxEntryBytes;

    public MysqlFileOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(GeneralPathGlob) && string.IsNullOrWhiteSpace(SlowPathGlob))
        {
            throw new StreamsConfigException(KeyPrefix + "general.path", "or mysql.file.slow.path must name a log file");
        }

        if (string.Equals(GeneralPathGlob, SlowPathGlob, StringComparison.Ordinal))
        {
            throw new StreamsConfigException(KeyPrefix + "slow.path", "must differ from mysql.file.general.path: the two logs are cut differently");
        }

        foreach (var (tail, pathKey, _) in Tails())
        {
            tail.Validate(KeyPrefix, "/var/log/mysql/" + pathKey[..pathKey.IndexOf('.', StringComparison.Ordinal)] + ".log", pathKey);
        }

        return this;
    }

    /// <summary>One tailer's settings per configured log, with its path key and framing.</summary>
    internal IEnumerable<(FileTailOptions Tail, string PathKey, MysqlFileFraming Framing)> Tails()
    {
        if (!string.IsNullOrWhiteSpace(GeneralPathGlob))
        {
            yield return (Tail(GeneralPathGlob), "general.path", MysqlFileFraming.General);
        }

        if (!string.IsNullOrWhiteSpace(SlowPathGlob))
        {
            yield return (Tail(SlowPathGlob), "slow.path", MysqlFileFraming.Slow);
        }
    }

    private FileTailOptions Tail(string glob) => new() { PathGlob = glob, IdleFlushTimeout = IdleFlushTimeout, ReadChunkSize = ReadChunkSize, Host = Host, MaxEntryBytes = MaxEntryBytes };
}
