using System.Collections.ObjectModel;

namespace Streams.Topology.Mysql;

/// <summary>
/// One statement of the MySQL/MariaDB slow query log, from the log file or the mysql.slow_log table.
/// Durations are <see cref="TimeSpan"/>s, exact to the microsecond MySQL prints.
/// </summary>
public sealed record MysqlSlowEntry
{
    /// <summary>
    /// When the statement started, in UTC: the file's "SET timestamp=" when present (MySQL sets it to the
    /// statement's start), otherwise its "# Time:" header; start_time for table rows.
    /// </summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The file's "# Time:" header (its own or the one before it), in UTC; null for table rows or when absent.</summary>
    public DateTimeOffset? HeaderTime { get; init; }

    public required MysqlUserHost UserHost { get; init; }

    /// <summary>The connection id: MySQL's "Id:" after User@Host, MariaDB's "Thread_id:", or the thread_id column.</summary>
    public long? ThreadId { get; init; }

    /// <summary>The default database: the "use db;" line, else MariaDB's "Schema:", else the db column; null when none.</summary>
    public string? Database { get; init; }

    public required TimeSpan QueryTime { get; init; }

    public required TimeSpan LockTime { get; init; }

    public required long RowsSent { get; init; }

    public required long RowsExamined { get; init; }

    /// <summary>MariaDB's "Rows_affected" (file header or table column); null when the server does not print it.</summary>
    public long? RowsAffected { get; init; }

    /// <summary>"Bytes_sent" from MariaDB's header or MySQL's log_slow_extra; null when absent.</summary>
    public long? BytesSent { get; init; }

    /// <summary>The last_insert_id column; null for file entries.</summary>
    public long? LastInsertId { get; init; }

    /// <summary>The insert_id column; null for file entries.</summary>
    public long? InsertId { get; init; }

    /// <summary>The server_id column; null for file entries.</summary>
    public long? ServerId { get; init; }

    /// <summary>The statement as logged, lines joined with '\n' (the file keeps the ';' MySQL appends).</summary>
    public required string Statement { get; init; }

    /// <summary>
    /// Every other "Name: value" pair of the file's "#" header lines, exactly as printed (e.g. "QC_hit" = "No",
    /// "Full_scan" = "Yes", MySQL's "Start"/"End"); empty for table rows.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = ReadOnlyDictionary<string, string>.Empty;
}
