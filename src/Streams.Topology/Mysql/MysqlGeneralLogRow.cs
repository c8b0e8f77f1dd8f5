namespace Streams.Topology.Mysql;

/// <summary>
/// The columns of one mysql.general_log row (log_output=TABLE), as a connector reads them.
/// </summary>
/// <param name="EventTime">event_time, TIMESTAMP(6) as text "2026-11-22 16:13:34.073196", in the session's time zone.</param>
/// <param name="UserHost">user_host, e.g. "app[app] @ localhost [127.0.0.1]".</param>
/// <param name="ThreadId">thread_id.</param>
/// <param name="ServerId">server_id.</param>
/// <param name="CommandType">command_type, e.g. "Query".</param>
/// <param name="Argument">argument, the raw text (not escaped).</param>
public sealed record MysqlGeneralLogRow(
    string EventTime,
    string UserHost,
    long ThreadId,
    long ServerId,
    string CommandType,
    string Argument);
