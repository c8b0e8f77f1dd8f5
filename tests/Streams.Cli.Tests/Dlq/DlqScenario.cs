using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Tests.Dlq;

/// <summary>
/// The embedded cluster with the load balancer pipeline's topics, a mock:// registry, and the real curation topology
/// run on it until it has read everything; plus read_committed readers of what ended up where.
/// </summary>
internal sealed class DlqScenario : IAsyncDisposable
{
    public const string Origin = "bucket/AWSLogs/alb.log";
    public const string DeadLetterTopic = "dlq.topology";

    private readonly string _scope = "dlq-" + Guid.NewGuid().ToString("N");

    public DlqScenario()
    {
        Registry = MockSchemaRegistry.ForScope(_scope);
        Cluster = EmbeddedKafkaCluster.Start(1);
        foreach (var topic in AllTopics)
        {
            Cluster.CreateTopic(topic, 1, 1);
        }
    }

    public static DateTime Ingested { get; } = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<string> AllTopics { get; } =
    [
        "raw.elb", "curated.elb", DeadLetterTopic, "dlq.sink", ReplayLedger.Topic,
        Runtime.Topology.PositionsTopic(CurationOptions.DefaultApplicationId),
        Runtime.Topology.ChangelogTopic(CurationOptions.DefaultApplicationId, CurationOptions.DedupStore("elb")),
    ];

    public EmbeddedKafkaCluster Cluster { get; }

    public ISchemaRegistryClient Registry { get; }

    public string RegistryUrl => "mock://" + _scope;

    public string Bootstrap => Cluster.BootstrapServers;

    /// <summary>The ALB sample lines (comment dropped), as the file connector would ship them.</summary>
    public static string CorpusText()
    {
        var path = Path.Combine(Path.GetDirectoryName(RepoFiles.TopicsYaml)!, "tests", "corpus", "elb-alb.log");
        return string.Join('\n', File.ReadAllLines(path).Where(l => !l.StartsWith('#') && l.Length > 0));
    }

    public CurationOptions Options(Func<string, Avro.Specific.ISpecificRecord, string?>? rejectRule) =>
        new() { Registry = new SchemaRegistrySettings(RegistryUrl), Sources = ["elb"], RejectRule = rejectRule };

    public void ProduceRaw(IEnumerable<NativeRecord> records)
    {
        using var producer = new ProducerBuilder<string, ElbRaw>(new ProducerConfig { BootstrapServers = Bootstrap })
            .SetValueSerializer(new AvroSerializer<ElbRaw>(Registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync())
            .SetLogHandler((_, _) => { })
            .Build();
        foreach (var r in records)
        {
            producer.Produce(r.Topic, new Message<string, ElbRaw> { Key = r.Key, Value = (ElbRaw)r.Raw, Timestamp = new Timestamp(Ingested) });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs the curation until its committed position in raw.elb passes the last record there; returns its counters.</summary>
    public async Task<CurationMetrics> RunTopologyAsync(CurationOptions options)
    {
        var end = Read("raw.elb").Max(r => r.Offset.Value) + 1;
        var metrics = new CurationMetrics();
        var props = CurationTopology.EngineDefaults(options);
        props[StreamsConfig.BootstrapServersKey] = Bootstrap;
        props[StreamsConfig.StateDirKey] = Path.Combine(Path.GetTempPath(), "dlq-curation-" + Guid.NewGuid().ToString("N"));
        props[StreamsConfig.AssignmentStrategyKey] = "range";
        props[StreamsConfig.CommitIntervalKey] = "100";
        // The next run joins the same group: a short session lets the embedded cluster drop this member quickly.
        props[StreamsConfig.SessionTimeoutKey] = "6000";
        await using (var app = new KafkaStreams(CurationTopology.Build(options, metrics, Registry), StreamsConfig.FromProperties(props)))
        {
            app.Start();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
            while (Position("raw.elb/0") < end && DateTime.UtcNow < deadline && app.Failure is null)
            {
                await Task.Delay(50);
            }

            Assert.That(app.Failure, Is.Null);
            Assert.That(Position("raw.elb/0"), Is.GreaterThanOrEqualTo(end), "the curation committed its position past the end of raw.elb");
        }

        Directory.Delete(props[StreamsConfig.StateDirKey], recursive: true);
        return metrics;
    }

    /// <summary>Every record of a topic a read_committed consumer sees.</summary>
    public List<ConsumeResult<byte[], byte[]>> Read(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = Bootstrap,
            GroupId = "verify-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).High.Value;
        var result = new List<ConsumeResult<byte[], byte[]>>();
        if (high == 0)
        {
            return result;
        }

        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } r)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                break;
            }

            result.Add(r);
        }

        return result;
    }

    /// <summary>The curated documents as the sink would index them: (index, _id, JSON).</summary>
    public List<(string Index, string Id, string Source)> Curated()
    {
        var deserializer = new AvroDeserializer<ElbCurated>(Registry).AsSyncOverAsync();
        return Read("curated.elb").Select(r =>
        {
            var c = deserializer.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, "curated.elb"));
            return (EcsIndexNames.For(c), Encoding.UTF8.GetString(r.Message.Key), Encoding.UTF8.GetString(EcsDocumentWriter.ToUtf8(c)));
        }).ToList();
    }

    /// <summary>
    /// Runs the sink (NDJSON target, group streams-dlq-test-sink) over curated.elb until it has written
    /// <paramref name="documents"/> more documents, then stops it gracefully (commit and close).
    /// </summary>
    public async Task RunSinkAsync(string outputDirectory, long documents)
    {
        var host = Streams.Connectors.Elasticsearch.SinkHost.FromProperties(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = Bootstrap,
            ["schema.registry.url"] = RegistryUrl,
            ["sink.topics"] = "curated.elb",
            ["sink.group.id"] = "streams-dlq-test-sink",
            ["sink.target"] = "file",
            ["sink.output.dir"] = outputDirectory,
            ["sink.commit.interval.ms"] = "100",
        });
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (host.Sink.DocumentsWritten < documents && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await run;
        await host.DisposeAsync();
        Assert.That(host.Sink.DocumentsWritten, Is.EqualTo(documents), "documents the sink wrote in this run");
    }

    /// <summary>The end offset of every topic of the scenario.</summary>
    public Dictionary<string, long> EndOffsets()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "ends" }).SetLogHandler((_, _) => { }).Build();
        return AllTopics.ToDictionary(t => t, t => consumer.QueryWatermarkOffsets(new TopicPartition(t, 0), TimeSpan.FromSeconds(10)).High.Value);
    }

    public ValueTask DisposeAsync()
    {
        MockSchemaRegistry.DropScope(_scope);
        return Cluster.DisposeAsync();
    }

    private long Position(string key)
    {
        var position = -1L;
        foreach (var r in Read(Runtime.Topology.PositionsTopic(CurationOptions.DefaultApplicationId)))
        {
            if (Encoding.UTF8.GetString(r.Message.Key) == key)
            {
                position = BinaryPrimitives.ReadInt64BigEndian(r.Message.Value);
            }
        }

        return position;
    }
}
