using Confluent.Kafka;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Topics;

namespace Streams.Connectors.Tests.Framework;

/// <summary>
/// An embedded cluster with one raw topic (raw.laravel unless told) and the offsets topic, a fresh mock registry,
/// and a read_committed reader for both. Every connector's tests share it.
/// </summary>
internal sealed class ConnectorCluster : IAsyncDisposable
{
    public const string LaravelTopic = "raw.laravel";

    private ConnectorCluster(EmbeddedKafkaCluster cluster, string topic)
    {
        Kafka = cluster;
        Topic = topic;
        Registry = new SchemaRegistrySettings("mock://connect-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The raw topic the connector under test writes to.</summary>
    public string Topic { get; }

    public EmbeddedKafkaCluster Kafka { get; }

    public SchemaRegistrySettings Registry { get; }

    public static ConnectorCluster Start(bool createOffsetsTopic = true, string topic = LaravelTopic, int brokers = 1)
    {
        var cluster = EmbeddedKafkaCluster.Start(brokers);
        cluster.CreateTopic(topic, 1, 1);
        if (createOffsetsTopic)
        {
            cluster.CreateTopic(SourceConnectorOptions.DefaultOffsetsTopic, 1, 1);
        }

        return new ConnectorCluster(cluster, topic);
    }

    public SourceConnectorOptions Options(string name = "laravel", int batchSize = 100) => new()
    {
        Name = name,
        BootstrapServers = Kafka.BootstrapServers,
        Topic = Topic,
        PollInterval = TimeSpan.FromMilliseconds(20),
        BatchSize = batchSize,
        RequestTimeout = TimeSpan.FromSeconds(10),
        SchemaRegistry = Registry,
    };

    /// <summary>Every record of raw.laravel from the beginning, read_committed, deserialized with the Avro deserializer.</summary>
    public List<(string Key, LaravelRaw Value)> ReadRaw() => ReadRaw<LaravelRaw>();

    /// <summary>Every record of <see cref="Topic"/> from the beginning, read_committed, as <typeparamref name="T"/>.</summary>
    public List<(string Key, T Value)> ReadRaw<T>()
        where T : Avro.Specific.ISpecificRecord
    {
        using var registry = AvroSerdes.CreateRegistry(Registry);
        var deserializer = AvroSerdes.Specific<T>(registry, Registry).Deserializer;
        return ReadAll(Topic).Select(m => (System.Text.Encoding.UTF8.GetString(m.Key), deserializer.Deserialize(m.Value, false, new SerializationContext(MessageComponentType.Value, Topic)))).ToList();
    }

    /// <summary>The committed records of a topic, partition by partition, in offset order.</summary>
    public List<Message<byte[], byte[]>> ReadAll(string topic) =>
        TopicReader.ReadToEnd(new Dictionary<string, string> { ["bootstrap.servers"] = Kafka.BootstrapServers }, [topic], TimeSpan.FromSeconds(10))
            .OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value).Select(r => r.Message).ToList();

    public ValueTask DisposeAsync()
    {
        MockSchemaRegistry.DropScope(Registry.Url["mock://".Length..]);
        return Kafka.DisposeAsync();
    }
}
