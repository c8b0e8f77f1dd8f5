using System.Globalization;
using System.Text;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Mysql;

/// <summary>
/// One row of mysql.general_log or mysql.slow_log: its position in microseconds, its column values as a
/// <see cref="MysqlRaw"/> without the connector's own fields, and a key that orders rows tied on the position.
/// </summary>
internal sealed class MysqlTableRow
{
    public MysqlTableRow(long micros, MysqlRaw columns)
    {
        Micros = micros;
        Columns = columns;
        TieOrder = TieKey(columns);
    }

    public long Micros { get; }

    /// <summary>The column fields of the raw record (kind, times, user, thread, text...).</summary>
    public MysqlRaw Columns { get; }

    /// <summary>
    /// Every column, length-prefixed, so that ordinal order is a total order on distinct rows: rows at one
    /// microsecond come out of the server in no defined order, and sorting them by this key makes "the first n rows
    /// at that microsecond" mean the same rows on every read. Rows equal in every column are interchangeable.
    /// </summary>
    public string TieOrder { get; }

    private static string TieKey(MysqlRaw r)
    {
        var key = new StringBuilder();
        foreach (var part in new object?[]
        {
            r.thread_id, r.server_id, r.start_time, r.query_time_us, r.lock_time_us, r.rows_sent, r.rows_examined,
            r.rows_affected, r.last_insert_id, r.insert_id, r.command_type, r.db, r.user_host, r.argument, r.sql_text,
        })
        {
            var text = part switch
            {
                null => "\u0000",
                DateTime time => time.Ticks.ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(part, CultureInfo.InvariantCulture) ?? string.Empty,
            };
            key.Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(text);
        }

        return key.ToString();
    }
}
