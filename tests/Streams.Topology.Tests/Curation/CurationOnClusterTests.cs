using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;

namespace Streams.Topology.Tests.Curation;

[TestFixture]
[NonParallelizable]
public sealed class CurationOnClusterTests
{
    [Test]
    public async Task Curation_on_the_embedded_cluster_matches_streams_curate_and_drops_replays_after_a_restart()
    {
        var ingested = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        // One load balancer's lines of one minute: the dedup window (1 h of stream time) covers all of them.
        var text = string.Join('\n', Corpus.Lines("elb-alb.log").Where(l => l.Contains(" 2018-07-02T22:23", StringComparison.Ordinal)));
        var records = NativeText.Read("elb", text, "bucket/AWSLogs/elb.log", ingested).ToList();

        // What `streams curate` prints for the same text.
        var expected = OfflineCuration.Run("elb", text, "bucket/AWSLogs/elb.log", ingested, Topology.Geo.GeoIpEnricher.Disabled, TimeZoneInfo.Utc).Documents
            .Select(d => (d.Index, d.Id, Encoding.UTF8.GetString(d.Source))).ToList();
        Assert.That(expected, Is.Not.Empty);

        var scope = "cluster-" + Guid.NewGuid().ToString("N");
        var options = new CurationOptions { Registry = new SchemaRegistrySettings("mock://" + scope), Sources = ["elb"] };
        var registry = MockSchemaRegistry.ForScope(scope);
        await using var cluster = EmbeddedKafkaCluster.Start(3);
        foreach (var topic in new[] { "raw.elb", "curated.elb", "dlq.topology", Runtime.Topology.PositionsTopic(CurationOptions.DefaultApplicationId), Runtime.Topology.ChangelogTopic(CurationOptions.DefaultApplicationId, CurationOptions.DedupStore("elb")) })
        {
            cluster.CreateTopic(topic, 1, 3);
        }

        Produce(cluster, registry, records);
        var first = await Run(cluster, options, registry, records.Count);
        Assert.That(first.Duplicates, Is.Zero);

        var curated = ReadCurated(cluster, registry, expected.Count);
        Assert.That(curated, Is.EqualTo(expected), "the embedded run indexes exactly what streams curate prints");

        // The same lines shipped again after a restart with no local state: the window is restored from the changelog.
        Produce(cluster, registry, records);
        var second = await Run(cluster, options, registry, records.Count * 2);
        Assert.That(second.Duplicates, Is.EqualTo(expected.Count), "every replayed line is a counted duplicate");
        Assert.That(ReadCurated(cluster, registry, expected.Count), Is.EqualTo(expected), "nothing was written twice");
    }

    private static void Produce(EmbeddedKafkaCluster cluster, ISchemaRegistryClient registry, List<NativeRecord> records)
    {
        using var producer = new ProducerBuilder<string, ElbRaw>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<ElbRaw>(registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync())
            .Build();
        foreach (var r in records)
        {
            producer.Produce(r.Topic, new Message<string, ElbRaw> { Key = r.Key, Value = (ElbRaw)r.Raw });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private static async Task<(long Duplicates, long Curated)> Run(EmbeddedKafkaCluster cluster, CurationOptions options, ISchemaRegistryClient registry, int inputEnd)
    {
        var metrics = new CurationMetrics();
        var props = CurationTopology.EngineDefaults(options);
        props[StreamsConfig.BootstrapServersKey] = cluster.BootstrapServers;
        props[StreamsConfig.StateDirKey] = Path.Combine(Path.GetTempPath(), "curation-" + Guid.NewGuid().ToString("N"));
        props[StreamsConfig.AssignmentStrategyKey] = "range";
        await using (var app = new KafkaStreams(CurationTopology.Build(options, metrics, registry), StreamsConfig.FromProperties(props)))
        {
            app.Start();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!PositionAt(cluster, inputEnd) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.That(PositionAt(cluster, inputEnd), Is.True, "the curation committed its position to the end of raw.elb");
            Assert.That(app.Failure, Is.Null);
        }

        Directory.Delete(props[StreamsConfig.StateDirKey], recursive: true);
        return (metrics.Duplicates["elb"], metrics.Curated["elb"]);
    }

    private static bool PositionAt(EmbeddedKafkaCluster cluster, long end)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "check",
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(Runtime.Topology.PositionsTopic(CurationOptions.DefaultApplicationId), 0, Offset.Beginning));
        long position = -1;
        while (consumer.Consume(TimeSpan.FromSeconds(2)) is { } r && !r.IsPartitionEOF)
        {
            if (Encoding.UTF8.GetString(r.Message.Key) == "raw.elb/0")
            {
                position = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(r.Message.Value);
            }
        }

        return position >= end;
    }

    private static List<(string Index, string Id, string Source)> ReadCurated(EmbeddedKafkaCluster cluster, ISchemaRegistryClient registry, int expected)
    {
        var deserializer = new AvroDeserializer<ElbCurated>(registry).AsSyncOverAsync();
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "verify-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset("curated.elb", 0, Offset.Beginning));
        var docs = new List<(string, string, string)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                if (docs.Count >= expected)
                {
                    break;
                }

                continue;
            }

            var record = deserializer.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, "curated.elb"));
            docs.Add((EcsIndexNames.For(record), r.Message.Key, Encoding.UTF8.GetString(EcsDocumentWriter.ToUtf8(record))));
            Assert.That(r.Message.Timestamp.UnixTimestampMs, Is.EqualTo(new DateTimeOffset(record.timestamp).ToUnixTimeMilliseconds()), "a curated record's Kafka timestamp is its event time");
        }

        return docs;
    }
}
