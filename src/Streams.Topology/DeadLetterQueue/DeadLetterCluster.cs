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
    public List<DeadLetterRecord> ReadAll(string topic, int partitions)
    {
        var records = new List<DeadLetterRecord>();
        foreach (var result in ReadToEnd(topic, partitions))
        {
            records.Add(DeadLetterRecord.From(result));
        }

        return records;
    }

    /// <summary>The committed records of a topic up to its end when reading began.</summary>
    public IEnumerable<ConsumeResult<byte[], byte[]>> ReadToEnd(string topic, int partitions)
    {
        using var consumer = NewConsumer("streams-dlq-reader");
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var marks = consumer.QueryWatermarkOffsets(tp, Timeout);
            if (marks.High.Value <= marks.Low.Value)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
            var deadline = DateTime.UtcNow + Timeout;
            while (true)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"reading {tp} to its end ({marks.High.Value}) took longer than {Timeout}"));
                }

                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r is null)
                {
                    continue;
                }

                if (r.IsPartitionEOF)
                {
                    break;
                }

                yield return r;
                if (r.Offset.Value >= marks.High.Value - 1)
                {
                    break;
                }
            }

            consumer.Unassign();
        }
    }

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
