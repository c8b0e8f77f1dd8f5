using System.Text;
using System.Text.Json.Nodes;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>Curated Avro records on curated.elb → <see cref="SinkHost"/> built from keys → the Elasticsearch double or files.</summary>
[TestFixture]
public sealed class SinkHostTests
{
    private const string Topic = "curated.elb";
    private EmbeddedKafkaCluster _cluster = null!;
    private ElasticsearchDouble _es = null!;
    private string _registryScope = null!;

    [SetUp]
    public async Task Start()
    {
        _cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        _cluster.CreateTopic(Topic, partitions: 2);
        _cluster.CreateTopic("dlq.sink");
        _es = await ElasticsearchDouble.StartAsync();
        _registryScope = "sink-host-" + Guid.NewGuid().ToString("N");
    }

    [TearDown]
    public async Task Stop()
    {
        MockSchemaRegistry.DropScope(_registryScope);
        await _es.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Two records either side of midnight UTC, and one without a key whose id is its event.id.</summary>
    private static List<(string? Key, ElbCurated Record)> ElbRecords() =>
    [
        ("elb-1", Elb("elb-1", new DateTime(2026, 11, 26, 23, 59, 59, DateTimeKind.Utc), "203.0.113.7")),
        ("elb-2", Elb("elb-2", new DateTime(2026, 11, 27, 0, 0, 1, DateTimeKind.Utc), "2001:db8::1")),
        (null, Elb("elb-3", new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc), "198.51.100.20")),
    ];

    private static ElbCurated Elb(string id, DateTime timestamp, string clientIp) => new()
    {
        timestamp = timestamp,
        @event = new Event { id = id, kind = "event", dataset = "aws.elb", module = "aws", outcome = "success" },
        source = new Source { ip = clientIp, port = 443 },
        message = "GET /health 200",
    };

    private void Produce(IEnumerable<(string? Key, ElbCurated Record)> records)
    {
        var registry = MockSchemaRegistry.ForScope(_registryScope);
        var serializer = new AvroSerializer<ElbCurated>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        foreach (var (key, record) in records)
        {
            var value = serializer.Serialize(record, new SerializationContext(MessageComponentType.Value, Topic));
            producer.Produce(Topic, new Message<byte[]?, byte[]> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private void ProduceBytes(string key, byte[] value)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        producer.Produce(Topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value });
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private Dictionary<string, string> Properties(string group) => new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = _cluster.BootstrapServers,
        ["schema.registry.url"] = "mock://" + _registryScope,
        ["sink.topics"] = Topic,
        ["sink.group.id"] = group,
        ["sink.commit.interval.ms"] = "100",
        ["sink.close.timeout.ms"] = "300",
        ["consumer.session.timeout.ms"] = "2000",
        ["consumer.heartbeat.interval.ms"] = "200",
        ["elasticsearch.urls"] = _es.Url.ToString(),
        ["elasticsearch.bulk.linger.ms"] = "10",
        ["elasticsearch.retry.backoff.initial.ms"] = "5",
        ["elasticsearch.retry.backoff.max.ms"] = "50",
        ["elasticsearch.number.of.replicas"] = "0",
    };

    private static async Task RunUntilAsync(SinkHost host, Func<bool> done, string what)
    {
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        try
        {
            await TestTargets.WaitUntilAsync(() => done() || run.IsCompleted, what, timeoutSeconds: 20);
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    private static async Task<JsonNode?> SourceOfAsync(ElasticsearchHttpClient http, string index, string id, CancellationToken ct)
    {
        var response = await http.GetAsync($"{index}/_doc/{id}", ct);
        return response.IsSuccess ? JsonNode.Parse(response.Body)!["_source"] : null;
    }

    [Test]
    public async Task Curated_records_land_in_their_daily_index_by_event_time_with_the_event_id_and_the_rendered_document()
    {
        var records = ElbRecords();
        Produce(records);
        await using var host = SinkHost.FromProperties(Properties("g1"));

        await RunUntilAsync(host, () => _es.TotalDocuments == 3, "3 documents are indexed");

        var options = TestTargets.OptionsFor(_es);
        using var http = new ElasticsearchHttpClient(options);
        Assert.Multiple(() =>
        {
            Assert.That(_es.DocumentCount("curated-elb-2026.11.26"), Is.EqualTo(2));
            Assert.That(_es.DocumentCount("curated-elb-2026.11.27"), Is.EqualTo(1));
        });
        foreach (var (_, record) in records)
        {
            var index = EcsIndexNames.For(record);
            var stored = await SourceOfAsync(http, index, record.@event.id, CancellationToken.None);
            Assert.That(JsonNode.DeepEquals(stored, JsonNode.Parse(EcsDocumentWriter.ToJson(record))), Is.True, $"{record.@event.id} in {index}: {stored?.ToJsonString()}");
        }
    }

    [Test]
    public async Task The_template_with_the_generated_mappings_and_the_ilm_policy_exist_before_the_first_document()
    {
        Produce(ElbRecords());
        await using var host = SinkHost.FromProperties(Properties("g1"));

        await RunUntilAsync(host, () => _es.TotalDocuments == 3, "3 documents are indexed");

        var template = _es.Template("curated-elb");
        Assert.Multiple(() =>
        {
            Assert.That(_es.TemplateExistedWhenCreated("curated-elb-2026.11.26"), Is.True);
            Assert.That(_es.TemplateExistedWhenCreated("curated-elb-2026.11.27"), Is.True);
            Assert.That(_es.Policy("curated-retention"), Is.Not.Null);
            Assert.That(template?["index_patterns"]?[0]?.GetValue<string>(), Is.EqualTo("curated-elb-*"));
            Assert.That(template?["template"]?["mappings"]?["properties"]?["source"]?["properties"]?["ip"]?["type"]?.GetValue<string>(), Is.EqualTo("ip"));
            Assert.That(template?["template"]?["mappings"]?.ToJsonString(), Is.EqualTo(JsonNode.Parse(CuratedDocumentRenderer.MappingsFor("elb").Span)!.ToJsonString()));
        });
    }

    [Test]
    public async Task An_index_prefix_renames_the_daily_indices_and_their_template()
    {
        Produce(ElbRecords());
        var properties = Properties("prefixed");
        properties["elasticsearch.index.prefix"] = "logs";
        await using var host = SinkHost.FromProperties(properties);

        await RunUntilAsync(host, () => _es.TotalDocuments == 3, "3 documents are indexed");

        Assert.Multiple(() =>
        {
            Assert.That(_es.DocumentCount("logs-elb-2026.11.26"), Is.EqualTo(2));
            Assert.That(_es.DocumentCount("logs-elb-2026.11.27"), Is.EqualTo(1));
            Assert.That(_es.TemplateExistedWhenCreated("logs-elb-2026.11.26"), Is.True);
            Assert.That(host.Sink.RecordsDeadLettered, Is.Zero);
        });
    }

    [Test]
    public async Task A_second_run_over_the_same_records_writes_nothing_twice()
    {
        Produce(ElbRecords());
        await using (var first = SinkHost.FromProperties(Properties("first")))
        {
            await RunUntilAsync(first, () => _es.TotalDocuments == 3, "3 documents are indexed");
        }

        // A new group starts from the earliest offset: a full replay.
        await using var replay = SinkHost.FromProperties(Properties("replay"));
        await RunUntilAsync(replay, () => replay.Sink.DocumentsWritten == 3, "the replay has a result for all 3 records");

        Assert.Multiple(() =>
        {
            Assert.That(_es.TotalDocuments, Is.EqualTo(3));
            Assert.That(replay.Sink.RecordsDeadLettered, Is.Zero);
        });
    }

    [Test]
    public async Task The_file_target_writes_one_ndjson_bulk_file_per_daily_index()
    {
        var directory = Directory.CreateTempSubdirectory("sink-host-").FullName;
        try
        {
            Produce(ElbRecords());
            var properties = Properties("files");
            properties["sink.target"] = "file";
            properties["sink.output.dir"] = directory;
            await using (var host = SinkHost.FromProperties(properties))
            {
                Assert.That(host.Target, Is.InstanceOf<NdjsonFileTarget>());
                await RunUntilAsync(host, () => host.Sink.DocumentsWritten == 3, "3 documents are written");
            }

            var day26 = await File.ReadAllLinesAsync(Path.Combine(directory, "curated-elb-2026.11.26.ndjson"));
            var day27 = await File.ReadAllLinesAsync(Path.Combine(directory, "curated-elb-2026.11.27.ndjson"));
            var elb2 = ElbRecords()[1].Record;
            Assert.Multiple(() =>
            {
                Assert.That(day26, Has.Length.EqualTo(4), "an action and a document line per record");
                Assert.That(day27, Has.Length.EqualTo(2));
                Assert.That(JsonNode.Parse(day27[0])?["create"]?["_id"]?.GetValue<string>(), Is.EqualTo("elb-2"));
                Assert.That(JsonNode.DeepEquals(JsonNode.Parse(day27[1]), JsonNode.Parse(EcsDocumentWriter.ToJson(elb2))), Is.True);
                Assert.That(_es.TotalDocuments, Is.Zero);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task A_record_that_is_not_avro_goes_to_the_dead_letter_topic_with_a_reason()
    {
        ProduceBytes("junk", Encoding.UTF8.GetBytes("""{"not":"avro"}"""));
        Produce(ElbRecords().Take(1));
        await using var host = SinkHost.FromProperties(Properties("g1"));

        await RunUntilAsync(host, () => host.Sink.RecordsDeadLettered == 1 && _es.TotalDocuments == 1, "one dead letter and one document");

        var dead = ReadDeadLetter();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(dead.Message.Key), Is.EqualTo("junk"));
            Assert.That(Encoding.UTF8.GetString(dead.Message.Value), Is.EqualTo("""{"not":"avro"}"""));
            Assert.That(Header(dead, "__streams.errors.reason"), Does.StartWith("rendering the document failed: "));
            Assert.That(Header(dead, "__streams.errors.topic"), Is.EqualTo(Topic));
        });
    }

    [TestCase("schema.registry.url", null, "schema.registry.url")]
    [TestCase("schema.registry.url", "not a url", "schema.registry.url")]
    [TestCase("sink.target", "ftp", "sink.target")]
    [TestCase("sink.target", "file", "sink.output.dir")]
    [TestCase("sink.topics", "curated.elb,raw.elb", "sink.topics")]
    [TestCase("sink.topics", null, "sink.topics")]
    [TestCase("bootstrap.servers", null, "bootstrap.servers")]
    [TestCase("elasticsearch.urls", "ftp://es:9200", "elasticsearch.urls")]
    public void Bad_configuration_fails_naming_the_key(string key, string? value, string named)
    {
        var properties = Properties("g1");
        if (value is null)
        {
            properties.Remove(key);
        }
        else
        {
            properties[key] = value;
        }

        var error = Assert.Throws<Streams.Runtime.StreamsConfigException>(() => SinkHost.FromProperties(properties));
        Assert.That(error!.Key, Is.EqualTo(named));
    }

    [Test]
    public void The_renderer_refuses_a_topic_outside_the_catalog()
    {
        var renderer = new CuratedDocumentRenderer(MockSchemaRegistry.ForScope(_registryScope));

        Assert.That(() => renderer.Read("curated.nginx", [0, 0, 0, 0, 1, 2]), Throws.TypeOf<InvalidDataException>().With.Message.Contains("curated.nginx"));
    }

    private static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    private ConsumeResult<byte[], byte[]> ReadDeadLetter()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "verify-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe("dlq.sink");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r)
            {
                consumer.Close();
                return r;
            }
        }

        consumer.Close();
        Assert.Fail("no dead letter within 15 s");
        return null!;
    }
}
