namespace Streams.Topology.Mysql;

/// <summary>
/// One event of the MySQL/MariaDB general query log, from the log file or the mysql.general_log table.
/// </summary>
public sealed record MysqlGeneralEntry
{
    /// <summary>
    /// When the server logged the event, in UTC. Null only for file entries that MariaDB wrote before it
    /// printed any time (it prints the time only when it changes).
    /// </summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>The connection id (file column "Id", table column thread_id).</summary>
    public required long ThreadId { get; init; }

    /// <summary>The command type as printed: "Connect", "Query", "Init DB", "Quit", ...</summary>
    public required string Command { get; init; }

    /// <summary>The argument as logged (statement text, schema name, connect details); may be empty or span lines.</summary>
    public required string Argument { get; init; }

    /// <summary>Who ran it (table column user_host); null for file entries, which do not carry it.</summary>
    public MysqlUserHost? UserHost { get; init; }

    /// <summary>The server id (table column server_id); null for file entries.</summary>
    public long? ServerId { get; init; }
}
