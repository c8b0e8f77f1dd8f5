using MySqlConnector;
using Streams.Connectors.Framework;
using Streams.Connectors.Mysql;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Mysql;

/// <summary>The table-mode task against a real MariaDB, logging to its tables, read by a user that may only SELECT them.</summary>
[TestFixture]
public sealed class MysqlTableSourceTaskTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private MariaDbServer _server = null!;
    private string _tag = null!;
    private string _reader = null!;
    private DateTimeOffset _started;

    [SetUp]
    public async Task CreateUsers()
    {
        _server = await MariaDbServer.Shared();
        _started = DateTimeOffset.UtcNow.AddSeconds(-1);
        _tag = Guid.NewGuid().ToString("N")[..8];
        _reader = await _server.CreateLogReader("reader_" + _tag);
    }

    [Test]
    public async Task Statements_run_appear_as_one_record_each()
    {
        var writer = await _server.CreateWriter("writer_" + _tag, "db_" + _tag);
        var statements = new List<string> { "CREATE TABLE t (id INT, note VARCHAR(40)) DEFAULT CHARSET = utf8mb4" };
        statements.AddRange(Enumerable.Range(0, 24).Select(i => $"INSERT INTO t VALUES ({i}, 'naïve ☃ {i}')"));
        var threadId = await Run(writer, statements.Append("SELECT 'smile 🙂'"));
        await using var task = await StartedTask(Options([MysqlTableSourceOptions.GeneralLog]) with { BatchSize = 7 });

        var records = await PollUntil(task, rs => Queries(rs, "writer_" + _tag).Count > statements.Count);
        var smile = Queries(records, "writer_" + _tag)[^1];
        Assert.That(smile.Value.argument, Is.EqualTo(@"SELECT 'smile \xF0\x9F\x99\x82'"), "general_log is utf8mb3: the server stores a 4-byte character escaped, and it is passed on as stored");

        var mine = Queries(records, "writer_" + _tag)[..^1];
        Assert.Multiple(() =>
        {
            Assert.That(mine.Select(r => r.Value.argument), Is.EqualTo(statements));
            Assert.That(mine.Select(r => r.Value.thread_id).Distinct(), Is.EqualTo(new[] { threadId }));
            Assert.That(mine.Select(r => r.Value.kind).Distinct(), Is.EqualTo(new[] { MysqlRawKind.GENERAL_TABLE }));
            Assert.That(mine.Select(r => r.Value.server_id).Distinct(), Is.EqualTo(new long?[] { 1 }));
            Assert.That(mine.Select(r => r.Value.user_host), Has.All.StartWith($"writer_{_tag}[writer_{_tag}] @ localhost"));
            Assert.That(mine.Select(r => r.Value.event_time!.Value), Is.Ordered.And.All.GreaterThan(DateTime.UtcNow.AddMinutes(-1)));
            Assert.That(mine.Select(r => r.Key).Concat(mine.Select(r => r.Value.origin)).Distinct(), Is.EqualTo(new[] { _server.Socket }));
            Assert.That(mine.Select(r => r.SourcePartition).Distinct(), Is.EqualTo(new[] { _server.Socket + "/general_log" }));
            Assert.That(mine[0].Value.offset, Is.EqualTo($"{{\"micros\":{mine[0].SourceOffset.Micros},\"emittedAtMicros\":{mine[0].SourceOffset.EmittedAtMicros}}}"));
            Assert.That(mine.Select(r => r.SourceOffset.Micros), Is.EqualTo(mine.Select(r => Micros(r.Value.event_time!.Value))));
            Assert.That(records.Select(r => r.Value.offset), Is.Unique);
            Assert.That(records.Select(r => r.Value.user_host), Has.None.Contains("reader_" + _tag), "the connector's own statements are left out");
        });
    }

    [Test]
    public async Task Slow_log_rows_are_mapped_column_by_column()
    {
        var writer = await _server.CreateWriter("writer_" + _tag, "db_" + _tag);
        var threadId = await Run(writer, ["CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1), (2), (3)", "SELECT id, SLEEP(0.1) FROM t WHERE id > 0"]);
        await using var task = await StartedTask(Options([MysqlTableSourceOptions.SlowLog]));

        var records = await PollUntil(task, rs => rs.Any(r => r.Value.sql_text!.StartsWith("SELECT id, SLEEP", StringComparison.Ordinal) && r.Value.user_host!.StartsWith("writer_" + _tag, StringComparison.Ordinal)));

        var mine = SlowQueries(records, "writer_" + _tag);
        var select = mine.Single(r => r.Value.sql_text!.StartsWith("SELECT id", StringComparison.Ordinal));
        var insert = mine.Single(r => r.Value.sql_text!.StartsWith("INSERT", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(mine.Select(r => r.Value.sql_text), Is.EqualTo(new[] { "CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1), (2), (3)", "SELECT id, SLEEP(0.1) FROM t WHERE id > 0" }));
            Assert.That(select.Value.kind, Is.EqualTo(MysqlRawKind.SLOW_TABLE));
            Assert.That(select.Value.query_time_us, Is.GreaterThanOrEqualTo(300_000), "SLEEP(0.1) for each of three rows");
            Assert.That(select.Value.lock_time_us, Is.GreaterThanOrEqualTo(0).And.LessThan(select.Value.query_time_us!.Value));
            Assert.That(select.Value.rows_sent, Is.EqualTo(3));
            Assert.That(select.Value.rows_examined, Is.EqualTo(3));
            Assert.That(select.Value.db, Is.EqualTo("db_" + _tag));
            Assert.That(select.Value.thread_id, Is.EqualTo(threadId));
            Assert.That(select.Value.server_id, Is.EqualTo(1));
            Assert.That(insert.Value.rows_affected, Is.EqualTo(3));
            Assert.That(select.Value.start_time, Is.GreaterThan(DateTime.UtcNow.AddMinutes(-1)).And.LessThan(DateTime.UtcNow));
            Assert.That(select.Value.event_time, Is.Null);
            Assert.That(select.SourcePartition, Is.EqualTo(_server.Socket + "/slow_log"));
            Assert.That(select.SourceOffset.Micros, Is.EqualTo(Micros(select.Value.start_time!.Value) + select.Value.query_time_us), "a slow row is positioned where it was written: at its statement's end");
        });
    }

    [Test]
    public async Task A_read_only_user_is_enough_and_really_is_read_only()
    {
        await using (var connection = new MySqlConnection(_reader))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand("SELECT COUNT(*) FROM mysql.user", connection);
            var denied = await Assert.ThrowsAsync<MySqlException>(() => command.ExecuteScalarAsync());
            Assert.That(denied!.ErrorCode, Is.EqualTo(MySqlErrorCode.TableAccessDenied));
        }

        await using var task = await StartedTask(Options([MysqlTableSourceOptions.GeneralLog, MysqlTableSourceOptions.SlowLog]));
        var records = await PollUntil(task, rs => rs.Any(r => r.Value.kind == MysqlRawKind.GENERAL_TABLE) && rs.Any(r => r.Value.kind == MysqlRawKind.SLOW_TABLE));

        Assert.That(records.Select(r => r.SourcePartition).Distinct(), Is.EquivalentTo(new[] { _server.Socket + "/general_log", _server.Socket + "/slow_log" }));
    }

    [Test]
    public async Task A_broken_connection_is_reopened_and_rows_read_ahead_are_kept()
    {
        var writer = await _server.CreateWriter("writer_" + _tag, "db_" + _tag);
        string[] statements = ["CREATE TABLE t (id INT)", .. Enumerable.Range(0, 15).Select(i => $"INSERT INTO t VALUES ({i})")];
        await Run(writer, statements);
        await using var task = await StartedTask(Options([MysqlTableSourceOptions.GeneralLog, MysqlTableSourceOptions.SlowLog]));
        var records = new List<SourceRecord<MysqlRaw, MysqlTableOffset>>();
        records.AddRange(await PollUntil(task, rs => rs.Select(r => r.Value.kind).Distinct().Count() == 2, maxRecords: 1));

        // Both tables have rows read ahead; the connection under them dies.
        await _server.ExecuteAsRoot($"KILL CONNECTION USER 'reader_{_tag}'@'localhost'");
        // Polled until both logs hold every statement, counted as the assertions count them: the client's own setup
        // statements (which the slow log also records) do not stand in for a row still to come.
        records.AddRange(await PollUntil(task, rs => Queries(records.Concat(rs), "writer_" + _tag).Count >= statements.Length
            && SlowQueries(records.Concat(rs), "writer_" + _tag).Count >= statements.Length, maxRecords: 2));

        Assert.Multiple(() =>
        {
            Assert.That(Queries(records, "writer_" + _tag).Select(r => r.Value.argument), Is.EqualTo(statements));
            Assert.That(SlowQueries(records, "writer_" + _tag).Select(r => r.Value.sql_text), Is.EqualTo(statements));
        });
    }

    [Test]
    public async Task A_user_without_select_on_a_log_table_fails_naming_the_key()
    {
        var user = "nogrant_" + _tag;
        await _server.ExecuteAsRoot($"CREATE USER '{user}'@'localhost'", $"GRANT SELECT ON mysql.general_log TO '{user}'@'localhost'");
        await using var task = await StartedTask(new MysqlTableSourceOptions { ConnectionString = _server.ConnectionString(user), Tables = [MysqlTableSourceOptions.SlowLog] });

        var ex = await Assert.ThrowsAsync<StreamsConfigException>(async () => await task.PollAsync(10, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Key, Is.EqualTo("mysql.tables"));
            Assert.That(ex.Message, Does.Contain("mysql.slow_log"));
        });
    }

    [Test]
    public async Task A_wrong_password_fails_naming_the_key()
    {
        var wrong = new MySqlConnectionStringBuilder(_reader) { Password = "wrong" }.ConnectionString;
        await using var task = await StartedTask(new MysqlTableSourceOptions { ConnectionString = wrong });

        var ex = await Assert.ThrowsAsync<StreamsConfigException>(async () => await task.PollAsync(10, CancellationToken.None));

        Assert.That(ex!.Key, Is.EqualTo("mysql.connection.string"));
    }

    [Test]
    public async Task Rows_tied_on_one_microsecond_are_read_once_across_restarts()
    {
        // A log table takes no INSERT, but a copy does: fill one with ties and rotate it in, as operators rotate the log.
        string[] texts = ["tie b", "tie a", "tie c", "tie a", "tie e", "tie d", "tie f"];
        var values = string.Join(", ", texts.Select((t, i) => $"('2026-11-20 10:00:00.000042', 'app[app] @ web [10.0.0.{i % 2}]', {i % 3}, 1, 'Query', '{t}')"))
            + ", ('2026-11-20 10:00:00.000043', 'app[app] @ web []', 1, 1, 'Query', 'after 1'), ('2026-11-20 10:00:00.000043', 'app[app] @ web []', 1, 1, 'Query', 'after 2')";
        await _server.ExecuteAsRoot(
            "SET GLOBAL general_log = OFF",
            "CREATE TABLE mysql.general_log_ties LIKE mysql.general_log",
            "INSERT INTO mysql.general_log_ties VALUES " + values,
            "RENAME TABLE mysql.general_log TO mysql.general_log_live, mysql.general_log_ties TO mysql.general_log");
        try
        {
            await using var task = await StartedTask(Options([MysqlTableSourceOptions.GeneralLog]) with { BatchSize = 3, InitialTime = null });
            var emitted = new List<string>();
            var committed = new Dictionary<string, MysqlTableOffset>();
            for (var round = 0; round < 50 && emitted.Count < texts.Length + 2; round++)
            {
                // Two records are committed, then the task restarts from them, forgetting what it had read ahead.
                var batch = await task.PollAsync(2, CancellationToken.None);
                emitted.AddRange(batch.Select(r => r.Value.argument!));
                if (batch.Count > 0)
                {
                    committed[batch[^1].SourcePartition] = batch[^1].SourceOffset;
                }

                await task.StartAsync(committed, CancellationToken.None);
            }

            Assert.Multiple(() =>
            {
                Assert.That(emitted, Is.EquivalentTo(texts.Append("after 1").Append("after 2")));
                Assert.That(emitted.Take(texts.Length), Is.EquivalentTo(texts));
                Assert.That(committed.Values.Single(), Is.EqualTo(new MysqlTableOffset(Micros(new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc)) + 43, 2)));
            });
        }
        finally
        {
            await _server.ExecuteAsRoot(
                "RENAME TABLE mysql.general_log TO mysql.general_log_ties, mysql.general_log_live TO mysql.general_log",
                "DROP TABLE mysql.general_log_ties",
                "SET GLOBAL general_log = ON");
        }
    }

    internal static long Micros(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The records of <paramref name="user"/>'s statements (not its Connect and Quit, nor the client library's SET NAMES), in order.</summary>
    internal static List<SourceRecord<MysqlRaw, MysqlTableOffset>> Queries(IEnumerable<SourceRecord<MysqlRaw, MysqlTableOffset>> records, string user) =>
        records.Where(r => r.Value.command_type == "Query" && r.Value.user_host!.StartsWith(user + "[", StringComparison.Ordinal) && !IsClientSetup(r.Value.argument!)).ToList();

    /// <summary>The slow log's rows of <paramref name="user"/>'s statements, the client's setup left out.</summary>
    private static List<SourceRecord<MysqlRaw, MysqlTableOffset>> SlowQueries(IEnumerable<SourceRecord<MysqlRaw, MysqlTableOffset>> records, string user) =>
        records.Where(r => r.Value.kind == MysqlRawKind.SLOW_TABLE && r.Value.user_host!.StartsWith(user + "[", StringComparison.Ordinal) && !IsClientSetup(r.Value.sql_text!)).ToList();

    /// <summary>MySqlConnector sets the connection's character set itself on opening.</summary>
    private static bool IsClientSetup(string statement) => statement.StartsWith("SET NAMES ", StringComparison.Ordinal);

    /// <summary>Runs the statements on one connection; returns its thread id.</summary>
    private static async Task<long> Run(string connectionString, IEnumerable<string> statements)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new MySqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }

        return connection.ServerThread;
    }

    private MysqlTableSourceOptions Options(IReadOnlyList<string> tables) => new()
    {
        ConnectionString = _reader,
        Tables = tables,
        PollInterval = TimeSpan.FromMilliseconds(50),
        Settle = TimeSpan.FromMilliseconds(200),
        BatchSize = 200,
        InitialTime = _started,
    };

    private static async Task<MysqlTableSourceTask> StartedTask(MysqlTableSourceOptions options)
    {
        var task = new MysqlTableSourceTask(options);
        await task.StartAsync(new Dictionary<string, MysqlTableOffset>(), CancellationToken.None);
        return task;
    }

    private static async Task<List<SourceRecord<MysqlRaw, MysqlTableOffset>>> PollUntil(MysqlTableSourceTask task, Func<List<SourceRecord<MysqlRaw, MysqlTableOffset>>, bool> done, int maxRecords = 100)
    {
        var records = new List<SourceRecord<MysqlRaw, MysqlTableOffset>>();
        await Eventually.Until(async () => { records.AddRange(await task.PollAsync(maxRecords, CancellationToken.None)); return records; }, done, Wait, "the expected records");
        return records;
    }
}
