namespace Streams.Topology.Mongodb;

/// <summary>Which mongod log layout a line was written in.</summary>
public enum MongodbLogFormat
{
    /// <summary>Structured JSON, one object per line (MongoDB 4.4 and later).</summary>
    Json,

    /// <summary>Plain text: <c>time severity component [context] message</c> (MongoDB 4.2 and earlier).</summary>
    Legacy,
}

/// <summary>
/// One mongod log entry, faithful to the source. The well-known attributes (remote address, duration,
/// namespace, ...) are lifted out of <c>attr</c> (JSON) or out of the message text (legacy) when present;
/// the JSON <c>attr</c> object itself is kept whole in <see cref="AttributesJson"/>.
/// </summary>
public sealed record MongodbLogEntry
{
    public required MongodbLogFormat Format { get; init; }

    /// <summary>The entry's time converted to UTC (mongod writes local time with an offset by default).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>F, E, W, I, D or D1..D5 as written; null for 2.x ctime lines, which carry none.</summary>
    public string? Severity { get; init; }

    /// <summary>Component such as NETWORK or STORAGE, "-" when mongod names none; null for 2.x ctime lines.</summary>
    public string? Component { get; init; }

    /// <summary>JSON only: the stable id of the log statement.</summary>
    public long? Id { get; init; }

    /// <summary>Thread or connection that logged the entry, e.g. "conn12" or "initandlisten".</summary>
    public required string Context { get; init; }

    public required string Message { get; init; }

    /// <summary>JSON only (MongoDB 7+): the <c>svc</c> service role, e.g. "S" (shard) or "R" (router).</summary>
    public string? Service { get; init; }

    /// <summary>JSON only: the <c>attr</c> object as raw JSON text, unchanged.</summary>
    public string? AttributesJson { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>JSON only: the <c>truncated</c> object as raw JSON, present when mongod cut an attribute.</summary>
    public string? TruncatedJson { get; init; }

    /// <summary>JSON only: the <c>size</c> object (original sizes of truncated attributes) as raw JSON.</summary>
    public string? SizeJson { get; init; }

    /// <summary>The client address as written (may be a unix socket rather than ip:port).</summary>
    public string? Remote { get; init; }

    public string? RemoteIp { get; init; }

    public int? RemotePort { get; init; }

    /// <summary>Operation duration in milliseconds (JSON durationMillis, legacy trailing "NNNms").</summary>
    public long? DurationMillis { get; init; }

    /// <summary>Namespace "db.collection" the entry is about.</summary>
    public string? Namespace { get; init; }

    public string? PlanSummary { get; init; }

    /// <summary>Name of the command (first key of the command document), e.g. "find" or "insert".</summary>
    public string? CommandName { get; init; }

    public string? AppName { get; init; }

    /// <summary>User the entry is about (attr.user, or principalName of authentication entries).</summary>
    public string? User { get; init; }

    /// <summary>Database the entry is about: explicit db, the command's $db, the namespace's db, or the authentication database.</summary>
    public string? Database { get; init; }
}
