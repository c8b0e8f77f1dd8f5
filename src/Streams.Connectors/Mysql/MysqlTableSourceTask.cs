using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Mysql;

/// <summary>
/// Polls mysql.general_log and mysql.slow_log (log_output=TABLE) and emits one <see cref="MysqlRaw"/> per row. The
/// source partition is <c>&lt;server&gt;/&lt;table&gt;</c>, the Kafka key the server, the offset a
/// <see cref="MysqlTableOffset"/>.
/// <para>
/// The connector's own statements are logged too, and a read-only user cannot turn that off (sql_log_off needs SUPER).
/// Filtering by its connection id would not do: a restarted connector has a new connection, and the rows of the one
/// it replaced (its Connect, its SELECTs, its Quit) would be read as anybody else's. So it leaves out every row of
/// its own login user, which is why that user must be dedicated to it.
/// </para>
/// </summary>
public sealed class MysqlTableSourceTask : ISourceTask<MysqlRaw, MysqlTableOffset>
{
    private readonly MysqlTableSourceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private readonly string _ownUser;
    private readonly string _origin;
    private List<TableState> _tables = [];
    private MySqlConnection? _connection;
    private int _next;

    public MysqlTableSourceTask(MysqlTableSourceOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        var builder = new MySqlConnectionStringBuilder(options.ConnectionString) { Pooling = false };
        _connectionString = builder.ConnectionString;
        _ownUser = builder.UserID;
        _origin = options.Origin;
    }

    /// <summary>The source partition of <paramref name="table"/>: the server, a slash, the table.</summary>
    public string Partition(string table) => _origin + "/" + table;

    public async ValueTask StartAsync(IReadOnlyDictionary<string, MysqlTableOffset> committedOffsets, CancellationToken cancellationToken)
    {
        await CloseAsync();
        _tables = _options.Tables.Select(t => new TableState(
            MysqlTableReader.For(t),
            Partition(t),
            new MysqlTableCursor(committedOffsets.TryGetValue(Partition(t), out var offset) ? offset : _options.InitialOffset))).ToList();
    }

    public async ValueTask<IReadOnlyList<SourceRecord<MysqlRaw, MysqlTableOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
    {
        var batch = new List<SourceRecord<MysqlRaw, MysqlTableOffset>>();
        var now = _time.GetUtcNow();

        // Tables take turns at being first, so a busy general log cannot starve the slow log.
        for (var i = 0; i < _tables.Count && batch.Count < maxRecords; i++)
        {
            var table = _tables[(_next + i) % _tables.Count];
            if (table.Ready.Count == 0 && now >= table.NextReadAt)
            {
                await ReadAsync(table, now, cancellationToken);
            }

            while (batch.Count < maxRecords && table.Ready.TryDequeue(out var row))
            {
                batch.Add(ToRecord(table, row.Row, row.Offset, now.UtcDateTime));
            }
        }

        _next = _tables.Count == 0 ? 0 : (_next + 1) % _tables.Count;
        return batch;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async Task ReadAsync(TableState table, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await ConnectionAsync(cancellationToken);
            var from = table.Cursor.Position.Micros;
            var limit = table.Cursor.PageLimit(_options.BatchSize);
            var page = await table.Reader.PageAsync(connection, _ownUser, _options.Settle, from, limit, cancellationToken);
            var truncated = page.Count == limit;
            var rows = table.Cursor.Advance(page, truncated, out var wholeGroupAt);
            if (wholeGroupAt is { } micros)
            {
                var group = await table.Reader.GroupAsync(connection, _ownUser, _options.Settle, micros, cancellationToken);
                rows = table.Cursor.Advance(group, truncated: false, out _);
            }

            foreach (var row in rows)
            {
                table.Ready.Enqueue(row);
            }

            // A full page means more is waiting: read again at once. Otherwise the table is caught up.
            table.NextReadAt = truncated ? now : now + _options.PollInterval;
        }
        catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.AccessDenied)
        {
            throw new StreamsConfigException("mysql.connection.string", $"the server refused user '{_ownUser}': {ex.Message}");
        }
        catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.TableAccessDenied or MySqlErrorCode.NoSuchTable or MySqlErrorCode.ColumnAccessDenied)
        {
            throw new StreamsConfigException("mysql.tables", $"user '{_ownUser}' cannot read mysql.{table.Reader.Table} (GRANT SELECT ON mysql.{table.Reader.Table}): {ex.Message}");
        }
        catch (Exception ex) when (ex is MySqlException or MySqlEndOfStreamException or IOException or System.Net.Sockets.SocketException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The server is away or the connection broke: nothing was queued, so the next read starts where this one did.
            _logger.LogWarning(ex, "mysql {Partition}: read failed; retrying in {Interval}", table.Partition, _options.PollInterval);
            table.NextReadAt = now + _options.PollInterval;
            await DropConnectionAsync();
        }
    }

    private async Task<MySqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        await DropConnectionAsync();
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand("SET time_zone = '+00:00'; SELECT @@log_output", connection);
            var output = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            if (!output.Contains("TABLE", StringComparison.OrdinalIgnoreCase))
            {
                _logger.LogWarning("mysql {Server}: log_output is '{Output}', so the log tables stay empty; set log_output=TABLE (or FILE,TABLE)", _origin, output);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private SourceRecord<MysqlRaw, MysqlTableOffset> ToRecord(TableState table, MysqlTableRow row, MysqlTableOffset offset, DateTime now)
    {
        var value = row.Columns;
        value.origin = _origin;
        value.ingested_at = now;
        value.offset = Encoding.UTF8.GetString(SourceOffsetStore<MysqlTableOffset>.Value(offset));
        return new SourceRecord<MysqlRaw, MysqlTableOffset>(_origin, value, table.Partition, offset);
    }

    /// <summary>Forgets what was read ahead and closes the connection: the next start says where to read.</summary>
    private async ValueTask CloseAsync()
    {
        foreach (var table in _tables)
        {
            table.Ready.Clear();
        }

        await DropConnectionAsync();
    }

    /// <summary>Closes the connection only: rows already queued stay, as the cursors are past them.</summary>
    private async ValueTask DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>One table's reader, cursor, and rows read but not yet handed out.</summary>
    private sealed class TableState(MysqlTableReader reader, string partition, MysqlTableCursor cursor)
    {
        public MysqlTableReader Reader { get; } = reader;

        public string Partition { get; } = partition;

        public MysqlTableCursor Cursor { get; } = cursor;

        public Queue<(MysqlTableRow Row, MysqlTableOffset Offset)> Ready { get; } = new();

        public DateTimeOffset NextReadAt { get; set; } = DateTimeOffset.MinValue;
    }
}
