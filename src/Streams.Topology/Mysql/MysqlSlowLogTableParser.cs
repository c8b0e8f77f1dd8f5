using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>Rows of the mysql.slow_log table (log_output=TABLE).</summary>
public static class MysqlSlowLogTableParser
{
    /// <summary>
    /// Parses one row. start_time is printed in the reading session's time zone, given as
    /// <paramref name="timeZone"/> (default UTC).
    /// </summary>
    public static ParseResult<MysqlSlowEntry> ParseRow(MysqlSlowLogRow row, TimeZoneInfo? timeZone = null)
    {
        if (row is null)
        {
            return ParseResult<MysqlSlowEntry>.Fail("slow_log row is missing");
        }

        if (!MysqlTime.TryParse(row.StartTime, timeZone ?? TimeZoneInfo.Utc, out var startTime))
        {
            return ParseResult<MysqlSlowEntry>.Fail("slow_log start_time is not a 'YYYY-MM-DD HH:MM:SS' time");
        }

        var userHost = MysqlUserHost.Parse(row.UserHost);
        if (userHost.Value is null)
        {
            return ParseResult<MysqlSlowEntry>.Fail("slow_log " + userHost.Error);
        }

        if (!MysqlDuration.TryParseTime(row.QueryTime, out var queryTime))
        {
            return ParseResult<MysqlSlowEntry>.Fail("slow_log query_time is not a TIME like '00:00:02.000123'");
        }

        if (!MysqlDuration.TryParseTime(row.LockTime, out var lockTime))
        {
            return ParseResult<MysqlSlowEntry>.Fail("slow_log lock_time is not a TIME like '00:00:00.000123'");
        }

        return ParseResult<MysqlSlowEntry>.Ok(new MysqlSlowEntry
        {
            EventTime = startTime,
            UserHost = userHost.Value,
            ThreadId = row.ThreadId,
            Database = string.IsNullOrWhiteSpace(row.Db) ? null : row.Db,
            QueryTime = queryTime,
            LockTime = lockTime,
            RowsSent = row.RowsSent,
            RowsExamined = row.RowsExamined,
            RowsAffected = row.RowsAffected,
            LastInsertId = row.LastInsertId,
            InsertId = row.InsertId,
            ServerId = row.ServerId,
            Statement = row.SqlText ?? string.Empty,
        });
    }
}
