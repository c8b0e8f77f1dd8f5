namespace Streams.Topology.Mysql;

/// <summary>
/// The columns of one mysql.slow_log row (log_output=TABLE), as a connector reads them.
/// </summary>
/// <param name="StartTime">start_time, TIMESTAMP(6) as text, in the session's time zone.</param>
/// <param name="UserHost">user_host, e.g. "root[root] @ localhost []".</param>
/// <param name="QueryTime">query_time, TIME(6) as text, e.g. "00:00:02.000123".</param>
/// <param name="LockTime">lock_time, TIME(6) as text.</param>
/// <param name="RowsSent">rows_sent.</param>
/// <param name="RowsExamined">rows_examined.</param>
/// <param name="Db">db; empty when no database was selected.</param>
/// <param name="LastInsertId">last_insert_id.</param>
/// <param name="InsertId">insert_id.</param>
/// <param name="ServerId">server_id.</param>
/// <param name="SqlText">sql_text, the raw statement.</param>
/// <param name="ThreadId">thread_id.</param>
/// <param name="RowsAffected">rows_affected, a MariaDB-only column; null on MySQL.</param>
public sealed record MysqlSlowLogRow(
    string StartTime,
    string UserHost,
    string QueryTime,
    string LockTime,
    long RowsSent,
    long RowsExamined,
    string Db,
    long LastInsertId,
    long InsertId,
    long ServerId,
    string SqlText,
    long ThreadId,
    long? RowsAffected = null);
