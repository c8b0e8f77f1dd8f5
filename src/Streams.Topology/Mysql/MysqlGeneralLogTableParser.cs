using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>Rows of the mysql.general_log table (log_output=TABLE).</summary>
public static class MysqlGeneralLogTableParser
{
    /// <summary>
    /// Parses one row. event_time is printed in the reading session's time zone, given as
    /// <paramref name="timeZone"/> (default UTC).
    /// </summary>
    public static ParseResult<MysqlGeneralEntry> ParseRow(MysqlGeneralLogRow row, TimeZoneInfo? timeZone = null)
    {
        if (row is null)
        {
            return ParseResult<MysqlGeneralEntry>.Fail("general_log row is missing");
        }

        if (!MysqlTime.TryParse(row.EventTime, timeZone ?? TimeZoneInfo.Utc, out var eventTime))
        {
            return ParseResult<MysqlGeneralEntry>.Fail("general_log event_time is not a 'YYYY-MM-DD HH:MM:SS' time");
        }

        var userHost = MysqlUserHost.Parse(row.UserHost);
        if (userHost.Value is null)
        {
            return ParseResult<MysqlGeneralEntry>.Fail("general_log " + userHost.Error);
        }

        if (string.IsNullOrWhiteSpace(row.CommandType))
        {
            return ParseResult<MysqlGeneralEntry>.Fail("general_log command_type is empty");
        }

        return ParseResult<MysqlGeneralEntry>.Ok(new MysqlGeneralEntry
        {
            EventTime = eventTime,
            ThreadId = row.ThreadId,
            Command = row.CommandType.Trim(),
            Argument = row.Argument ?? string.Empty,
            UserHost = userHost.Value,
            ServerId = row.ServerId,
        });
    }
}
