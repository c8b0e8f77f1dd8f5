using MySqlConnector;
using Streams.Runtime;

namespace Streams.Connectors.Mysql;

/// <summary>
/// What the mysql table-mode connector reads; <see cref="Validate"/> names the key of the first wrong setting.
/// Config keys:
/// <list type="bullet">
/// <item><c>mysql.connection.string</c>: MySqlConnector connection string of a dedicated user with SELECT on mysql.general_log
/// and mysql.slow_log (nothing more is needed). Rows logged by that user are not emitted: they are the connector's own
/// polling, which would otherwise feed itself.</item>
/// <item><c>mysql.tables</c>: general_log, slow_log or both (comma-separated; default both).</item>
/// <item><c>mysql.server.name</c>: the stable identity of the server, the Kafka key and the source partition prefix
/// (default: the connection string's host, with its port unless it is a unix socket).</item>
/// <item><c>mysql.initial.time</c>: where a table without a committed offset is read from, as Kafka Connect JDBC's
/// timestamp.initial (default: its first row). A fixed time, not "now": a connector killed before its first commit
/// must start again at the same place.</item>
/// <item><c>mysql.poll.interval.ms</c>: the least time between two reads of a table that had nothing more to give
/// (each read scans the CSV table).</item>
/// <item><c>mysql.batch.size</c>: rows fetched from a table by one query (its LIMIT).</item>
/// <item><c>mysql.settle.ms</c>: rows are read only once they are this old by the server's clock: a row is stamped
/// before it is written, and a slow_log row is written when its statement ends.</item>
/// </list>
/// The runner's own <c>poll.interval.ms</c> and <c>batch.size</c> (<see cref="Framework.SourceConnectorOptions"/>)
/// bound the wait after an empty poll and the records per transaction.
/// </summary>
public sealed record MysqlTableSourceOptions
{
    public const string GeneralLog = "general_log";
    public const string SlowLog = "slow_log";

    /// <summary>mysql.connection.string</summary>
    public required string ConnectionString { get; init; }

    /// <summary>mysql.tables</summary>
    public IReadOnlyList<string> Tables { get; init; } = [GeneralLog, SlowLog];

    /// <summary>mysql.server.name; null derives it from the connection string.</summary>
    public string? ServerName { get; init; }

    /// <summary>mysql.initial.time; null reads a table from its first row.</summary>
    public DateTimeOffset? InitialTime { get; init; }

    /// <summary>mysql.poll.interval.ms</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>mysql.batch.size</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>mysql.settle.ms</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where a table without a committed offset is read from.</summary>
    public MysqlTableOffset InitialOffset =>
        InitialTime is { } time ? new MysqlTableOffset((time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond, 0) : MysqlTableOffset.Beginning;

    /// <summary>The configured server name, or host[:port] of the connection string.</summary>
    public string Origin
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(ServerName))
            {
                return ServerName;
            }

            var builder = new MySqlConnectionStringBuilder(ConnectionString);
            return builder.Server.StartsWith('/') ? builder.Server : builder.Server + ":" + builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public MysqlTableSourceOptions Validate()
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(ConnectionString ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            throw new StreamsConfigException("mysql.connection.string", "is not a valid connection string: " + ex.Message);
        }

        if (string.IsNullOrWhiteSpace(builder.Server) || string.IsNullOrWhiteSpace(builder.UserID))
        {
            throw new StreamsConfigException("mysql.connection.string", "must name the server and the user (Server=...;User ID=...)");
        }

        if (Tables is null || Tables.Count == 0 || Tables.Any(t => t is not (GeneralLog or SlowLog)) || Tables.Distinct().Count() != Tables.Count)
        {
            throw new StreamsConfigException("mysql.tables", $"must list {GeneralLog}, {SlowLog} or both, each once");
        }

        if (ServerName is not null && string.IsNullOrWhiteSpace(ServerName))
        {
            throw new StreamsConfigException("mysql.server.name", "must be a non-empty name");
        }

        if (InitialTime is { } initial && initial < DateTimeOffset.UnixEpoch)
        {
            throw new StreamsConfigException("mysql.initial.time", "must not be before 1970-01-01T00:00:00Z");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(5))
        {
            throw new StreamsConfigException("mysql.poll.interval.ms", "must be between 1 ms and 5 minutes");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            throw new StreamsConfigException("mysql.batch.size", "must be between 1 and 100000");
        }

        if (Settle < TimeSpan.Zero || Settle > TimeSpan.FromHours(1))
        {
            throw new StreamsConfigException("mysql.settle.ms", "must be between 0 and 1 hour");
        }

        return this;
    }
}
