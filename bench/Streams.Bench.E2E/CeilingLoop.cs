using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Bench.E2E;

/// <summary>
/// The ceiling of this machine: the engine's loop with nothing in it. One read_committed consumer and one
/// transactional producer (the engine's client settings: idempotent, acks=all, linger 5 ms, murmur2), raw bytes copied
/// to ceiling.&lt;source&gt;, offsets sent in the transaction, committed every 100 ms as exactly_once_v2 does.
/// </summary>
internal static class CeilingLoop
{
    public static PhaseResult Run(string bootstrap, IReadOnlyList<string> topics, long expected, TimeSpan timeout)
    {
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
            TransactionalId = "bench-ceiling",
        };
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-ceiling",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).Build();
        var watch = Stopwatch.StartNew();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        consumer.Subscribe(topics);
        producer.BeginTransaction();
        var positions = new Dictionary<TopicPartition, long>();
        var sinceCommit = Stopwatch.StartNew();
        long copied = 0;
        TimeSpan? first = null;
        while (copied < expected && watch.Elapsed < timeout)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (record is not null)
            {
                first ??= watch.Elapsed;
                producer.Produce("ceiling." + record.Topic["raw.".Length..], record.Message);
                positions[record.TopicPartition] = record.Offset.Value + 1;
                copied++;
            }

            if (sinceCommit.ElapsedMilliseconds >= 100 || copied == expected)
            {
                if (positions.Count > 0)
                {
                    producer.SendOffsetsToTransaction(positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                    producer.CommitTransaction(TimeSpan.FromSeconds(30));
                    producer.BeginTransaction();
                    positions.Clear();
                }

                sinceCommit.Restart();
            }
        }

        var elapsed = watch.Elapsed;
        producer.AbortTransaction();
        consumer.Close();
        return new PhaseResult("ceiling", copied, elapsed, first ?? TimeSpan.Zero);
    }
}

/// <summary>Records moved in a phase, wall time from start to the last commit, and when the first record arrived.</summary>
internal sealed record PhaseResult(string Name, long Records, TimeSpan Elapsed, TimeSpan FirstRecordAt)
{
    /// <summary>Records per second over the whole phase, start-up (group join, InitTransactions) included.</summary>
    public double PerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>Records per second from the first record to the last commit: the steady rate.</summary>
    public double SteadyPerSecond => Records / (Elapsed - FirstRecordAt).TotalSeconds;
}
