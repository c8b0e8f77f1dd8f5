using MySqlConnector;
using Streams.Connectors.Framework;
using Streams.Connectors.Mysql;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Mysql;

/// <summary>The table-mode connector under the exactly-once runner, writing to raw.mysql on the embedded cluster.</summary>
[TestFixture]
public sealed class MysqlTableConnectorTests
{
    private const string Topic = "raw.mysql";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private MariaDbServer _server = null!;
    private string _tag = null!;
    private DateTimeOffset _started;

    [SetUp]
    public async Task StartServer()
    {
        _server = await MariaDbServer.Shared();
        _started = DateTimeOffset.UtcNow.AddSeconds(-1);
        _tag = Guid.NewGuid().ToString("N")[..8];
    }

    [Test]
    public async Task Statements_reach_raw_mysql_keyed_by_the_server()
    {
        var reader = await _server.CreateLogReader("reader_" + _tag);
        var writer = new Writer(await _server.CreateWriter("writer_" + _tag, "db_" + _tag));
        await writer.Execute(12);
        await using var cluster = ConnectorCluster.Start(topic: Topic);
        await using (var runner = Runner(cluster, reader, batchSize: 5))
        {
            runner.Start();
            await CaughtUp(cluster, runner, writer.Statements.Count);
            await runner.StopAsync(CancellationToken.None);
        }

        var raw = cluster.ReadRaw<MysqlRaw>();
        Assert.Multiple(() =>
        {
            Assert.That(Queries(raw).Select(r => r.argument), Is.EqualTo(writer.Statements));
            Assert.That(raw.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { _server.Socket }));
            Assert.That(raw.Select(r => r.Value.offset), Is.Unique);
        });
    }

    [Test]
    public async Task Killed_again_and_again_while_statements_arrive_every_statement_is_on_the_topic_once()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Out.WriteLine($"seed {seed}");
        var reader = await _server.CreateLogReader("reader_" + _tag);
        var writer = new Writer(await _server.CreateWriter("writer_" + _tag, "db_" + _tag));
        await using var cluster = ConnectorCluster.Start(topic: Topic);
        using var stopWriting = new CancellationTokenSource();
        var writing = writer.ExecuteUntil(stopWriting.Token);
        var kills = 0;
        var committedBeforeKills = 0L;
        for (; kills < 6; kills++)
        {
            var runner = Runner(cluster, reader, batchSize: random.Next(1, 8));
            runner.Start();
            var wanted = random.Next(1, 25);
            await Eventually.Until(() => runner.CommittedRecords >= wanted || runner.Completion.IsCompleted, Wait, $"{wanted} records committed");
            await Task.Delay(random.Next(0, 60));

            // Disposed without StopAsync: rows read but not committed are lost with the process.
            await runner.DisposeAsync();
            Assert.That(runner.Completion.IsFaulted, Is.False, () => runner.Completion.Exception!.ToString());
            committedBeforeKills += runner.CommittedRecords;
            TestContext.Out.WriteLine($"killed after {runner.CommittedRecords} records; {writer.Statements.Count} statements so far");
        }

        await stopWriting.CancelAsync();
        await writing;
        await using (var last = Runner(cluster, reader, batchSize: 50))
        {
            last.Start();
            await CaughtUp(cluster, last, writer.Statements.Count);
            await last.StopAsync(CancellationToken.None);
        }

        var raw = cluster.ReadRaw<MysqlRaw>();
        var queries = Queries(raw).Select(r => r.argument).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kills, Is.GreaterThanOrEqualTo(5));
            Assert.That(committedBeforeKills, Is.Positive);
            Assert.That(writer.Statements, Has.Count.GreaterThan(20), "statements kept arriving");
            Assert.That(queries, Is.EqualTo(writer.Statements), "exactly the statements run, in order, none twice, none missing");
            Assert.That(raw.Select(r => r.Value.offset), Is.Unique, "no row of any user twice");
        });
    }

    /// <summary>
    /// Waits until the runner has committed nothing new for longer than the settle time and a few polls, then until
    /// the topic holds <paramref name="statements"/> of the writer's statements: reading the topic is the slow part.
    /// </summary>
    private async Task CaughtUp(ConnectorCluster cluster, SourceConnectorRunner<MysqlRaw, MysqlTableOffset> runner, int statements)
    {
        var last = -1L;
        var quietSince = DateTime.UtcNow;
        await Eventually.Until(
            () =>
            {
                if (runner.CommittedRecords != last)
                {
                    last = runner.CommittedRecords;
                    quietSince = DateTime.UtcNow;
                }

                return DateTime.UtcNow - quietSince > TimeSpan.FromMilliseconds(600) || runner.Completion.IsCompleted;
            },
            Wait,
            "the runner to go quiet");
        await Eventually.Until(() => Queries(cluster.ReadRaw<MysqlRaw>()).Count >= statements || runner.Completion.IsCompleted, Wait, "every statement on the topic");
    }

    private List<MysqlRaw> Queries(List<(string Key, MysqlRaw Value)> raw) =>
        raw.Where(r => r.Value.command_type == "Query" && r.Value.user_host!.StartsWith($"writer_{_tag}[", StringComparison.Ordinal)
            && !r.Value.argument!.StartsWith("SET NAMES ", StringComparison.Ordinal)).Select(r => r.Value).ToList();

    private SourceConnectorRunner<MysqlRaw, MysqlTableOffset> Runner(ConnectorCluster cluster, string reader, int batchSize) =>
        new(cluster.Options("mysql", batchSize), new MysqlTableSourceTask(new MysqlTableSourceOptions
        {
            ConnectionString = reader,
            Tables = [MysqlTableSourceOptions.GeneralLog],
            PollInterval = TimeSpan.FromMilliseconds(30),
            Settle = TimeSpan.FromMilliseconds(200),
            BatchSize = 20,
            InitialTime = _started,
        }));

    /// <summary>Runs numbered INSERTs on one connection and remembers each statement the server acknowledged.</summary>
    private sealed class Writer(string connectionString)
    {
        private readonly List<string> _statements = [];

        public List<string> Statements
        {
            get
            {
                lock (_statements)
                {
                    return [.. _statements];
                }
            }
        }

        public async Task Execute(int count)
        {
            await using var connection = await Open();
            for (var i = 0; i < count; i++)
            {
                await Insert(connection, CancellationToken.None);
            }
        }

        public async Task ExecuteUntil(CancellationToken stop)
        {
            await using var connection = await Open();
            while (!stop.IsCancellationRequested)
            {
                await Insert(connection, CancellationToken.None);
                await Task.Delay(15, CancellationToken.None);
            }
        }

        private async Task<MySqlConnection> Open()
        {
            var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync();
            await using var create = new MySqlCommand("CREATE TABLE IF NOT EXISTS t (id INT)", connection);
            await create.ExecuteNonQueryAsync();
            lock (_statements)
            {
                _statements.Add(create.CommandText);
            }

            return connection;
        }

        private async Task Insert(MySqlConnection connection, CancellationToken cancellationToken)
        {
            string text;
            lock (_statements)
            {
                text = $"INSERT INTO t VALUES ({_statements.Count})";
            }

            await using var command = new MySqlCommand(text, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            lock (_statements)
            {
                _statements.Add(text);
            }
        }
    }
}
