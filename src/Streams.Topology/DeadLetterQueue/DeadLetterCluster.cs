using Confluent.Kafka;
using Streams.Runtime.Topics;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// Reads dead-letter topics with plain clients (read_committed, as the stages write them in transactions):
/// which <c>dlq.*</c> topics exist and every record of one, up to the end it had when reading began.
/// </summary>
public sealed class DeadLetterCluster(string bootstrapServers, IReadOnlyDictionary<string, string>? clientSettings = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string BootstrapServers { get; } = bootstrapServers;

    /// <summary>Settings every client gets besides the bootstrap servers (security.protocol, sasl.*).</summary>
    public IReadOnlyDictionary<string, string> ClientSettings { get; } = clientSettings ?? new Dictionary<string, string>();

    /// <summary>The dead-letter topics of the cluster, by name.</summary>
    public IReadOnlyList<string> DeadLetterTopics() =>
        Topics().Keys.Where(t => t.StartsWith(TopicNames.DeadLetter(string.Empty), StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every topic with its partition count.</summary>
    public IReadOnlyDictionary<string, int> Topics()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(Settings())).SetLogHandler((_, _) => { }).Build();
        return admin.GetMetadata(Timeout).Topics
            .Where(t => !t.Error.IsError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }

    /// <summary>Every committed record of <paramref name="topic"/>, partition by partition, in offset order.</summary>
    public List<DeadLetterRecord> ReadAll(string topic) =>
        ReadToEnd(topic).OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value).Select(DeadLetterRecord.From).ToList();

    /// <summary>The committed records of a topic up to its end when reading began, in offset order within a partition.</summary>
    public IEnumerable<ConsumeResult<byte[], byte[]>> ReadToEnd(string topic) => TopicReader.ReadToEnd(Settings(), [topic], Timeout);

    /// <summary>A consumer of the given group that only reads committed records and never commits by itself.</summary>
    public IConsumer<byte[], byte[]> NewConsumer(string groupId) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(Settings())
        {
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).SetLogHandler((_, _) => { }).Build();

    /// <summary>A transactional producer that writes records as they are (no partitioner surprises: partitions are given).</summary>
    public IProducer<byte[], byte[]> NewTransactionalProducer(string transactionalId) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Settings())
        {
            TransactionalId = transactionalId,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
        }).SetLogHandler((_, _) => { }).Build();

    private Dictionary<string, string> Settings() => new(ClientSettings, StringComparer.Ordinal) { ["bootstrap.servers"] = BootstrapServers };
}
