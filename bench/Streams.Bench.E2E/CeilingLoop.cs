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
    /// <summary>Runs <paramref name="threads"/> loops in one group (as num.stream.threads does) until all records are copied.</summary>
    public static PhaseResult Run(string bootstrap, IReadOnlyList<string> topics, long expected, TimeSpan timeout, int threads)
    {
        var shared = new Progress();
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, threads)
            .Select(i => new Thread(() => Loop(bootstrap, topics, expected, timeout, i, shared, watch)) { Name = "ceiling-" + i })
            .ToList();
        loops.ForEach(t => t.Start());
        loops.ForEach(t => t.Join());
        return new PhaseResult("ceiling", Interlocked.Read(ref shared.Committed), shared.Elapsed, shared.First ?? TimeSpan.Zero);
    }

    private static void Loop(string bootstrap, IReadOnlyList<string> topics, long expected, TimeSpan timeout, int index, Progress shared, Stopwatch watch)
    {
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
            TransactionalId = "bench-ceiling-" + index,
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
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        consumer.Subscribe(topics);
        producer.BeginTransaction();
        var positions = new Dictionary<TopicPartition, long>();
        var sinceCommit = Stopwatch.StartNew();
        long uncommitted = 0;
        while (Interlocked.Read(ref shared.Committed) < expected && watch.Elapsed < timeout)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (record is not null)
            {
                lock (shared)
                {
                    shared.First ??= watch.Elapsed;
                }

                producer.Produce("ceiling." + record.Topic["raw.".Length..], record.Message);
                positions[record.TopicPartition] = record.Offset.Value + 1;
                uncommitted++;
            }

            if (sinceCommit.ElapsedMilliseconds >= 100 || Interlocked.Read(ref shared.Committed) + uncommitted >= expected)
            {
                if (positions.Count > 0)
                {
                    producer.SendOffsetsToTransaction(positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                    producer.CommitTransaction();
                    producer.BeginTransaction();
                    positions.Clear();
                    if (Interlocked.Add(ref shared.Committed, uncommitted) >= expected)
                    {
                        lock (shared)
                        {
                            shared.Elapsed = watch.Elapsed;
                        }
                    }

                    uncommitted = 0;
                }

                sinceCommit.Restart();
            }
        }

        producer.AbortTransaction();
        consumer.Close();
    }

    /// <summary>What the loops share: records committed, when the first came and the last was committed.</summary>
    private sealed class Progress
    {
        public long Committed;
        public TimeSpan? First;
        public TimeSpan Elapsed;
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
