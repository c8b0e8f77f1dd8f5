using System.Data.Common;
using System.Globalization;
using System.Text;
using MySqlConnector;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Mysql;

/// <summary>
/// The queries on one log table. Both tables are CSV tables without keys, so every query scans the table; rows come
/// back ordered by their position in microseconds, only once they are older than the settle time by the server's
/// clock, and without the rows of the connector's own user. Text columns are read as bytes and decoded as UTF-8:
/// the server logs statements byte for byte, whatever the column's declared character set.
/// </summary>
internal sealed class MysqlTableReader
{
    private const string Marker = "/* streams-connect mysql */ ";

    // The login user sits in brackets in user_host: "app[app] @ host [ip]", and "[app] @ host [ip]" on Connect rows.
    private const string NotOwnUser = "CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(user_host, ']', 1), '[', -1) AS BINARY) <> CAST(@own AS BINARY)";
    private const string Settled = "r.pos_us <= CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) - @settle";

    private readonly string _pageSql;
    private readonly string _groupSql;
    private readonly Func<DbDataReader, MysqlTableRow> _map;

    private MysqlTableReader(string table, string columns, Func<DbDataReader, MysqlTableRow> map)
    {
        Table = table;
        var rows = $"SELECT {columns} FROM mysql.{table} WHERE {NotOwnUser}";
        _pageSql = $"{Marker}SELECT * FROM ({rows}) r WHERE r.pos_us >= @from AND {Settled} ORDER BY r.pos_us LIMIT @limit";
        _groupSql = $"{Marker}SELECT * FROM ({rows}) r WHERE r.pos_us = @from AND {Settled}";
        _map = map;
    }

    /// <summary>general_log or slow_log.</summary>
    public string Table { get; }

    public static MysqlTableReader For(string table) => table switch
    {
        MysqlTableSourceOptions.GeneralLog => General,
        MysqlTableSourceOptions.SlowLog => Slow,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not a log table"),
    };

    /// <summary>Up to <paramref name="limit"/> settled rows positioned at or after <paramref name="from"/>, in position order.</summary>
    public Task<List<MysqlTableRow>> PageAsync(MySqlConnection connection, string ownUser, TimeSpan settle, long from, int limit, CancellationToken cancellationToken) =>
        QueryAsync(connection, _pageSql, ownUser, settle, from, limit, cancellationToken);

    /// <summary>Every settled row positioned exactly at <paramref name="micros"/>.</summary>
    public Task<List<MysqlTableRow>> GroupAsync(MySqlConnection connection, string ownUser, TimeSpan settle, long micros, CancellationToken cancellationToken) =>
        QueryAsync(connection, _groupSql, ownUser, settle, micros, null, cancellationToken);

    private async Task<List<MysqlTableRow>> QueryAsync(MySqlConnection connection, string sql, string ownUser, TimeSpan settle, long from, int? limit, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@own", ownUser);
        command.Parameters.AddWithValue("@settle", (long)(settle.Ticks / TimeSpan.TicksPerMicrosecond));
        command.Parameters.AddWithValue("@from", from);
        if (limit is { } l)
        {
            command.Parameters.AddWithValue("@limit", l);
        }

        var rows = new List<MysqlTableRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(_map(reader));
        }

        return rows;
    }

    private static readonly MysqlTableReader General = new(
        MysqlTableSourceOptions.GeneralLog,
        "CAST(UNIX_TIMESTAMP(event_time) * 1000000 AS SIGNED) AS pos_us, CAST(user_host AS BINARY) AS user_host, thread_id, server_id, " +
        "CAST(command_type AS BINARY) AS command_type, CAST(argument AS BINARY) AS argument",
        r =>
        {
            var micros = Long(r, 0);
            return new MysqlTableRow(micros, new MysqlRaw
            {
                kind = MysqlRawKind.GENERAL_TABLE,
                event_time = Time(micros),
                user_host = Text(r, 1),
                thread_id = Long(r, 2),
                server_id = Long(r, 3),
                command_type = Text(r, 4),
                argument = Text(r, 5),
            });
        });

    // A slow_log row is stamped with its statement's start and written when the statement ends: it is positioned at
    // start_time + query_time, the order in which rows appear.
    private static readonly MysqlTableReader Slow = new(
        MysqlTableSourceOptions.SlowLog,
        "CAST(UNIX_TIMESTAMP(start_time) * 1000000 AS SIGNED) + CAST(TIME_TO_SEC(query_time) * 1000000 AS SIGNED) AS pos_us, " +
        "CAST(UNIX_TIMESTAMP(start_time) * 1000000 AS SIGNED) AS start_us, CAST(user_host AS BINARY) AS user_host, " +
        "CAST(TIME_TO_SEC(query_time) * 1000000 AS SIGNED) AS query_us, CAST(TIME_TO_SEC(lock_time) * 1000000 AS SIGNED) AS lock_us, " +
        "rows_sent, rows_examined, CAST(db AS BINARY) AS db, last_insert_id, insert_id, server_id, CAST(sql_text AS BINARY) AS sql_text, " +
        "thread_id, rows_affected",
        r => new MysqlTableRow(Long(r, 0), new MysqlRaw
        {
            kind = MysqlRawKind.SLOW_TABLE,
            start_time = Time(Long(r, 1)),
            user_host = Text(r, 2),
            query_time_us = Long(r, 3),
            lock_time_us = Long(r, 4),
            rows_sent = Long(r, 5),
            rows_examined = Long(r, 6),
            db = Text(r, 7),
            last_insert_id = Long(r, 8),
            insert_id = Long(r, 9),
            server_id = Long(r, 10),
            sql_text = Text(r, 11),
            thread_id = Long(r, 12),
            rows_affected = Long(r, 13),
        }));

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string Text(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? string.Empty : Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(ordinal));

    private static DateTime Time(long micros) => DateTime.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
