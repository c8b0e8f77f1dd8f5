using Microsoft.Extensions.Logging;
using Streams.Connectors.Elasticsearch;
using Streams.Connectors.Hosting;
using Streams.Connectors.Tests.Elasticsearch;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Internals;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Topics;
using Streams.Topology.Curation;

namespace Streams.EndToEnd;

/// <summary>
/// The pipeline of one seed on one embedded cluster, with its parts as separate processes would be: the Laravel and
/// MongoDB file connectors, one or two curation topology instances and the Elasticsearch sink, each of which can be
/// killed (disposed without a stop) and started again with the settings a user would give.
/// </summary>
internal sealed class PipelineUnderTest : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Sources = ["laravel", "mongodb"];

    private readonly string _registry = "mock://e2e-" + Guid.NewGuid().ToString("N");
    private readonly string _work;
    private readonly List<string> _stateDirs = [];
    private readonly Dictionary<string, ISourceConnector> _connectors = new(StringComparer.Ordinal);
    private SinkHost? _sink;
    private CancellationTokenSource? _stopSink;
    private Task? _sinkRun;
    private int _crashNext;

    private static readonly Microsoft.Extensions.Logging.ILoggerFactory Logs = Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b.AddFilter(level => level >= Microsoft.Extensions.Logging.LogLevel.Warning)));

    private PipelineUnderTest(EmbeddedKafkaCluster cluster, ElasticsearchDouble elasticsearch, string work)
    {
        Cluster = cluster;
        Elasticsearch = elasticsearch;
        _work = work;
    }

    public EmbeddedKafkaCluster Cluster { get; }

    public ElasticsearchDouble Elasticsearch { get; }

    public string LaravelPath => Path.Combine(_work, "laravel.log");

    public string MongodbPath => Path.Combine(_work, "mongod.log");

    public CurationHost? Topology { get; private set; }

    public CurationHost? SecondTopology { get; private set; }

    public string LaravelOrigin => "api-1:" + LaravelPath;

    public string MongodbOrigin => "mongo-1:" + MongodbPath;

    public static async Task<PipelineUnderTest> StartAsync(string topicsFile)
    {
        var work = Directory.CreateTempSubdirectory("streams-e2e-").FullName;
        var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        using (var admin = new EmbeddedTopicAdmin(cluster))
        {
            var topics = TopicsFile.Load(topicsFile);
            var plan = TopicsPlan.Create(topics.Topics, await admin.DescribeTopicsAsync(CancellationToken.None), allowDestructive: false);
            await TopicsApplier.ApplyAsync(admin, plan, CancellationToken.None);
        }

        var pipeline = new PipelineUnderTest(cluster, await ElasticsearchDouble.StartAsync(), work);
        File.WriteAllBytes(pipeline.LaravelPath, []);
        File.WriteAllBytes(pipeline.MongodbPath, []);
        return pipeline;
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
        if (source == "laravel")
        {
            settings["laravel.path"] = LaravelPath;
            settings["laravel.idle.flush.ms"] = "300";
            settings["laravel.host"] = "api-1";
        }
        else
        {
            settings["mongodb.mode"] = "file";
            settings["mongodb.file.path"] = MongodbPath;
            settings["mongodb.file.idle.flush.ms"] = "300";
            settings["mongodb.file.host"] = "mongo-1";
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

    /// <summary>The next record any instance processes crashes its thread mid-transaction; it rejoins and restores.</summary>
    public void CrashTopologyThread() => Interlocked.Exchange(ref _crashNext, 1);

    /// <summary>The instance goes away and a new one with an empty state directory takes over (state from the changelog).</summary>
    public async Task KillAndRestartTopologyAsync()
    {
        await Topology!.DisposeAsync();
        StartTopology();
    }

    public void StartSecondTopology() => SecondTopology ??= NewTopology();

    public async Task StopSecondTopologyAsync()
    {
        if (SecondTopology is { } second)
        {
            SecondTopology = null;
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
