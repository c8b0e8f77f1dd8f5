using Microsoft.Extensions.Logging;
using MySqlConnector;
using Streams.Connectors.Elasticsearch;
using Streams.Connectors.Elb;
using Streams.Connectors.Hosting;
using Streams.Connectors.Mysql;
using Streams.Connectors.Tests.Elasticsearch;
using Streams.Connectors.Tests.Mysql;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Internals;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Topics;
using Streams.Topology.Curation;

namespace Streams.EndToEnd;

/// <summary>
/// The pipeline of one seed on one embedded cluster, with its parts as separate processes would be: the Laravel and
/// MongoDB file connectors, the load balancer connector on a log directory, the mysql connector on the general log
/// table of a real MariaDB server, one or two curation topology instances and the Elasticsearch sink, each of which
/// can be killed (disposed without a stop) and started again with the settings a user would give.
/// </summary>
internal sealed class PipelineUnderTest : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Sources = ["laravel", "mongodb", "elb", "mysql"];

    /// <summary>The login of the mysql connector: SELECT on the log tables only, and its own rows are not emitted.</summary>
    public const string MysqlReader = "streams_e2e_reader";

    public const string MysqlServerName = "mariadb-e2e";

    private readonly string _registry = "mock://e2e-" + Guid.NewGuid().ToString("N");
    private readonly string _work;
    private readonly List<string> _stateDirs = [];
    private readonly Dictionary<string, ISourceConnector> _connectors = new(StringComparer.Ordinal);
    private SinkHost? _sink;
    private CancellationTokenSource? _stopSink;
    private Task? _sinkRun;
    private int _crashNext;
    private readonly MariaDbServer _mariadb;
    private readonly string _database = "e2e_" + Guid.NewGuid().ToString("N")[..12];
    private readonly HashSet<long> _sqlThreads = [];
    private MySqlConnection? _sql;

    // Errors and above; STREAMS_E2E_LOG_LEVEL (Warning, Information) shows more in a soak or when a seed is replayed.
    private static readonly LogLevel LogLevelShown = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("STREAMS_E2E_LOG_LEVEL"), out var level) ? level : LogLevel.Error;

    private static readonly Microsoft.Extensions.Logging.ILoggerFactory Logs = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new ProgressLoggerProvider(LogLevelShown)));

    private PipelineUnderTest(EmbeddedKafkaCluster cluster, ElasticsearchDouble elasticsearch, string work, MariaDbServer mariadb)
    {
        Cluster = cluster;
        Elasticsearch = elasticsearch;
        _work = work;
        _mariadb = mariadb;
    }

    public EmbeddedKafkaCluster Cluster { get; }

    public ElasticsearchDouble Elasticsearch { get; }

    public string LaravelPath => Path.Combine(_work, "laravel.log");

    public string MongodbPath => Path.Combine(_work, "mongod.log");

    public CurationHost? Topology { get; private set; }

    public CurationHost? SecondTopology { get; private set; }

    public string LaravelOrigin => "api-1:" + LaravelPath;

    public string MongodbOrigin => "mongo-1:" + MongodbPath;

    /// <summary>The local copy of the log bucket the elb connector reads.</summary>
    public string ElbRoot => Path.Combine(_work, "elb-logs");

    private string MysqlReaderConnection => _mariadb.ConnectionString(MysqlReader, "pw-" + MysqlReader);

    /// <summary>Starts the cluster, topics and Elasticsearch double; empties MariaDB's general log for this run.</summary>
    public static async Task<PipelineUnderTest> StartAsync(string topicsFile, MariaDbServer mariadb)
    {
        var work = Directory.CreateTempSubdirectory("streams-e2e-").FullName;
        var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        using (var admin = new EmbeddedTopicAdmin(cluster))
        {
            var topics = TopicsFile.Load(topicsFile);
            var plan = TopicsPlan.Create(topics.Topics, await admin.DescribeTopicsAsync(CancellationToken.None), allowDestructive: false);
            await TopicsApplier.ApplyAsync(admin, plan, CancellationToken.None);
        }

        var pipeline = new PipelineUnderTest(cluster, await ElasticsearchDouble.StartAsync(), work, mariadb);
        File.WriteAllBytes(pipeline.LaravelPath, []);
        File.WriteAllBytes(pipeline.MongodbPath, []);
        Directory.CreateDirectory(pipeline.ElbRoot);
        await mariadb.ExecuteAsRoot(
            $"CREATE USER IF NOT EXISTS '{MysqlReader}'@'localhost' IDENTIFIED BY 'pw-{MysqlReader}'",
            $"GRANT SELECT ON mysql.general_log TO '{MysqlReader}'@'localhost'",
            "TRUNCATE TABLE mysql.general_log");
        await pipeline.ExecuteSqlAsync(
        [
            $"CREATE DATABASE {pipeline._database}",
            $"USE {pipeline._database}",
            "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL, password VARCHAR(128) NOT NULL) CHARACTER SET utf8mb4",
        ]);
        return pipeline;
    }

    /// <summary>Puts an object into the log directory whole: written aside, then renamed into place, as <c>aws s3 sync</c> does.</summary>
    public void PutElbObject(string key, byte[] bytes)
    {
        var aside = Path.Combine(_work, "elb-incoming");
        Directory.CreateDirectory(aside);
        var temporary = Path.Combine(aside, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temporary, bytes);
        var path = Path.Combine(ElbRoot, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temporary, path);
    }

    /// <summary>Runs statements as root on one connection kept for the run; its rows in the general log are input.</summary>
    public async Task ExecuteSqlAsync(IEnumerable<string> statements)
    {
        if (_sql is null)
        {
            _sql = new MySqlConnection(_mariadb.ConnectionString("root"));
            await _sql.OpenAsync();
            _sqlThreads.Add(_sql.ServerThread);
        }

        foreach (var statement in statements)
        {
            await using var command = new MySqlCommand(statement, _sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Closes the statement connection and reads the general log back as the connector does (same reader, same
    /// filter on its own login), once the server has logged the Quit of every connection the run opened: after that
    /// nothing more is logged for the connector to read.
    /// </summary>
    public async Task<List<MysqlRaw>> FinishMysqlAsync()
    {
        if (_sql is not null)
        {
            await _sql.DisposeAsync();
            _sql = null;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var rows = await ReadGeneralLogAsync();
            var quit = rows.Where(r => r.command_type == "Quit").Select(r => r.thread_id ?? -1).ToHashSet();
            if (quit.IsSupersetOf(_sqlThreads))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"MariaDB did not log the Quit of connections {string.Join(", ", _sqlThreads.Except(quit))}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<List<MysqlRaw>> ReadGeneralLogAsync()
    {
        var options = new MysqlTableSourceOptions
        {
            ConnectionString = MysqlReaderConnection,
            Tables = [MysqlTableSourceOptions.GeneralLog],
            ServerName = MysqlServerName,
            Settle = TimeSpan.Zero,
            BatchSize = 100_000,
            PollInterval = TimeSpan.FromMinutes(1),
        };
        await using var task = new MysqlTableSourceTask(options);
        await task.StartAsync(new Dictionary<string, MysqlTableOffset>(), CancellationToken.None);
        var rows = new List<MysqlRaw>();
        while (await task.PollAsync(int.MaxValue, CancellationToken.None) is { Count: > 0 } batch)
        {
            rows.AddRange(batch.Select(r => r.Value));
        }

        return rows;
    }

    private Dictionary<string, string> Common() => new(StringComparer.Ordinal)
    {
        [StreamsConfig.BootstrapServersKey] = Cluster.BootstrapServers,
        [SourceConnectors.RegistryUrlKey] = _registry,
    };

    public void StartConnector(string source)
    {
        var settings = Common();
        settings[SourceConnectors.TypeKey] = source;
        settings[SourceConnectors.PollIntervalKey] = "50";
        settings[SourceConnectors.BatchSizeKey] = "200";
        switch (source)
        {
            case "laravel":
                settings["laravel.path"] = LaravelPath;
                settings["laravel.idle.flush.ms"] = "300";
                settings["laravel.host"] = "api-1";
                break;
            case "mongodb":
                settings["mongodb.mode"] = "file";
                settings["mongodb.file.path"] = MongodbPath;
                settings["mongodb.file.idle.flush.ms"] = "300";
                settings["mongodb.file.host"] = "mongo-1";
                break;
            case "elb":
                settings[ElbSourceOptions.SourceKey] = "directory";
                settings[ElbSourceOptions.DirectoryKey] = ElbRoot;
                break;
            default:
                settings["mysql.mode"] = "table";
                settings["mysql.connection.string"] = MysqlReaderConnection;
                settings["mysql.tables"] = MysqlTableSourceOptions.GeneralLog;
                settings["mysql.server.name"] = MysqlServerName;
                settings["mysql.poll.interval.ms"] = "100";
                break;
        }

        var connector = SourceConnectors.Create("e2e-" + source, settings, Logs);
        _connectors[source] = connector;
        connector.Start();
    }

    /// <summary>Kills the connector (no stop, nothing flushed on purpose) and starts a new one from its committed offsets.</summary>
    public async Task KillAndRestartConnectorAsync(string source)
    {
        await _connectors[source].DisposeAsync();
        StartConnector(source);
    }

    public IEnumerable<ISourceConnector> Connectors => _connectors.Values;

    public CurationHost NewTopology()
    {
        var stateDir = Path.Combine(_work, "state-" + _stateDirs.Count);
        _stateDirs.Add(stateDir);
        var settings = Common();
        settings[CurationHost.SourcesKey] = string.Join(',', Sources);
        settings[CurationHost.TimeZoneKey] = "UTC";
        settings[StreamsConfig.StateDirKey] = stateDir;
        settings[StreamsConfig.CommitIntervalKey] = "100";
        settings["consumer.fetch.wait.max.ms"] = "10";
        settings[StreamsConfig.SessionTimeoutKey] = "3000";
        settings[StreamsConfig.TransactionTimeoutKey] = "5000";
        // With the default cooperative-sticky assignment, an instance started after another was disposed got no tasks
        // on the embedded cluster; range (eager) rebalances hand every partition over.
        settings[StreamsConfig.AssignmentStrategyKey] = "range";
        var host = CurationHost.FromProperties(settings, Logs);
        host.Streams.BeforeProcess = _ =>
        {
            if (Interlocked.Exchange(ref _crashNext, 0) == 1)
            {
                throw new SimulatedCrashException();
            }
        };
        host.Streams.Start();
        return host;
    }

    public void StartTopology() => Topology = NewTopology();

    /// <summary>Topology instances disposed during the run: one whose close ran past its timeout may still have a live thread.</summary>
    public List<CurationHost> Closing { get; } = [];

    /// <summary>
    /// Where each stage stands, for a run that stopped making progress: per raw topic its end and the topology's committed
    /// position (the positions topic), per curated topic its end and the sink group's committed offset.
    /// </summary>
    public string Lag()
    {
        var config = new Confluent.Kafka.ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = "streams-elasticsearch-sink", EnableAutoCommit = false };
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var positions = new PositionStore(new StreamsConfig { ApplicationId = CurationOptions.DefaultApplicationId, BootstrapServers = Cluster.BootstrapServers })
            .ReadAll(TimeSpan.FromSeconds(10));

        // One metadata answer, from a new client (no stale metadata): the partitions of each topic, and those without a leader.
        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics;
        List<Confluent.Kafka.TopicPartition> PartitionsOf(string topic) =>
            topics.Where(t => t.Topic == topic).SelectMany(t => t.Partitions).Select(p => new Confluent.Kafka.TopicPartition(topic, p.PartitionId)).OrderBy(tp => tp.Partition.Value).ToList();

        var lines = new List<string>();
        foreach (var source in Sources)
        {
            var curated = PartitionsOf(TopicNames.Curated(source));
            var committed = consumer.Committed(curated, TimeSpan.FromSeconds(10)).ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
            string End(Confluent.Kafka.TopicPartition tp) => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string Raw(Confluent.Kafka.TopicPartition tp) => $"{End(tp)}/{positions.GetValueOrDefault(tp, -1)}";
            string Curated(Confluent.Kafka.TopicPartition tp) => $"{End(tp)}/{committed.GetValueOrDefault(tp.Partition.Value, -1)}";
            lines.Add($"{source}: raw end/topology position [{string.Join(" ", PartitionsOf(TopicNames.Raw(source)).Select(Raw))}], curated end/sink committed [{string.Join(" ", curated.Select(Curated))}]");
        }

        var leaderless = topics
            .SelectMany(t => t.Partitions.Where(p => p.Leader < 0 || p.Error.IsError).Select(p => $"{t.Topic}/{p.PartitionId} ({p.Error.Reason})"))
            .ToList();
        lines.Add($"partitions without a leader: [{string.Join(", ", leaderless)}]");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The next record any instance processes crashes its thread mid-transaction; it rejoins and restores.</summary>
    public void CrashTopologyThread() => Interlocked.Exchange(ref _crashNext, 1);

    /// <summary>The instance goes away and a new one with an empty state directory takes over (state from the changelog).</summary>
    public async Task KillAndRestartTopologyAsync()
    {
        Closing.Add(Topology!);
        await Topology!.DisposeAsync();
        StartTopology();
    }

    public void StartSecondTopology() => SecondTopology ??= NewTopology();

    public async Task StopSecondTopologyAsync()
    {
        if (SecondTopology is { } second)
        {
            SecondTopology = null;
            Closing.Add(second);
            await second.DisposeAsync();
        }
    }

    public void StartSink()
    {
        var settings = Common();
        settings[SinkHost.TargetKey] = SinkHost.ElasticsearchTarget;
        settings[ElasticsearchOptions.UrlsKey] = Elasticsearch.Url.ToString();
        settings[ElasticsearchSinkOptions.TopicsKey] = string.Join(',', Sources.Select(TopicNames.Curated));
        settings[ElasticsearchSinkOptions.CommitIntervalKey] = "200";
        settings[ElasticsearchOptions.RetryBackoffInitialKey] = "20";
        settings[ElasticsearchOptions.RetryBackoffMaxKey] = "200";
        settings[ElasticsearchOptions.RequestTimeoutKey] = "2000";

        // A killed sink's group membership lingers until its session times out; keep that short for a test run.
        settings["consumer.session.timeout.ms"] = "3000";
        _sink = SinkHost.FromProperties(settings);
        _stopSink = new CancellationTokenSource();
        var sink = _sink;
        var token = _stopSink.Token;
        _sinkRun = Task.Run(() => sink.RunAsync(token), CancellationToken.None);
    }

    public SinkHost Sink => _sink!;

    public Task SinkRun => _sinkRun!;

    public async Task KillAndRestartSinkAsync()
    {
        await StopSinkAsync();
        StartSink();
    }

    private async Task StopSinkAsync()
    {
        if (_sink is null)
        {
            return;
        }

        await _stopSink!.CancelAsync();
        await _sinkRun!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sink.DisposeAsync();
        _stopSink.Dispose();
        _sink = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sql is not null)
        {
            await _sql.DisposeAsync();
        }

        foreach (var connector in _connectors.Values)
        {
            await connector.DisposeAsync();
        }

        await StopSinkAsync();
        await StopSecondTopologyAsync();
        if (Topology is not null)
        {
            await Topology.DisposeAsync();
        }

        // A topology instance whose close ran past its timeout still has a thread with live clients; say so, as it
        // can outlive this run's cluster.
        foreach (var host in Closing.Append(Topology).OfType<CurationHost>().Where(h => h.Streams.State != KafkaStreamsState.NotRunning))
        {
            NUnit.Framework.TestContext.Progress.WriteLine($"  an instance is still closing: {host.Streams.Describe()}");
        }

        await Elasticsearch.DisposeAsync();
        await Cluster.DisposeAsync();
        MockSchemaRegistry.DropScope(_registry["mock://".Length..]);
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
