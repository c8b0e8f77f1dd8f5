using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Bench.E2E;

/// <summary>
/// The ceiling of this machine: the engine's loop with nothing in it, run by as many loops as the topology has stream
/// threads, in one consumer group. Each loop has one read_committed consumer and one transactional producer (the
/// engine's client settings: idempotent, acks=all, linger 5 ms, murmur2), copies raw bytes to ceiling.&lt;source&gt;,
/// and sends its offsets in its transaction, committed every 100 ms as exactly_once_v2 does. A record counts once its
/// transaction commits; partitions are given up only after their records are committed (as the engine does), and
/// the loops subscribe together once every producer is initialised, so that they share the group's first generation.
/// </summary>
internal static class CeilingLoop
{
    public static PhaseResult Run(string bootstrap, IReadOnlyList<string> topics, long expected, TimeSpan timeout, int loops = 1)
    {
        var watch = Stopwatch.StartNew();
        var shared = new Shared(expected, loops);
        var threads = Enumerable.Range(0, loops)
            .Select(i => new Thread(() => Loop(bootstrap, topics, i, shared, watch, timeout)) { Name = "ceiling-" + i, IsBackground = true })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (shared.Error is { } error)
        {
            throw new InvalidOperationException("a ceiling loop failed: " + error.Message, error);
        }

        var firstTicks = Interlocked.Read(ref shared.FirstTicks);
        return new PhaseResult("ceiling", Interlocked.Read(ref shared.Copied), watch.Elapsed, firstTicks == long.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks(firstTicks));
    }

    private static void Loop(string bootstrap, IReadOnlyList<string> topics, int index, Shared shared, Stopwatch watch, TimeSpan timeout)
    {
        try
        {
            CopyUntilDone(bootstrap, topics, index, shared, watch, timeout);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref shared.Error, ex, null);
        }
    }

    private static void CopyUntilDone(string bootstrap, IReadOnlyList<string> topics, int index, Shared shared, Stopwatch watch, TimeSpan timeout)
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
        var positions = new Dictionary<TopicPartition, long>();
        var pending = 0L;
        using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
        IConsumer<byte[], byte[]>? self = null;

        // Commits what has been copied, so the records count and the next owner of a partition starts after them.
        void Commit()
        {
            if (positions.Count > 0)
            {
                producer.SendOffsetsToTransaction(positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), self!.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                producer.CommitTransaction(TimeSpan.FromSeconds(30));
                producer.BeginTransaction();
                positions.Clear();
                Interlocked.Add(ref shared.Copied, pending);
                pending = 0;
            }
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsRevokedHandler((_, _) => Commit())
            .Build();
        self = consumer;
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        // A loop that failed to start never arrives: the others go on after a minute.
        shared.Ready.SignalAndWait(TimeSpan.FromMinutes(1));
        consumer.Subscribe(topics);
        var sinceCommit = Stopwatch.StartNew();
        var done = false;
        while (!done && watch.Elapsed < timeout && Volatile.Read(ref shared.Error) is null)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (record is not null)
            {
                var now = watch.Elapsed.Ticks;
                long seen;
                while (now < (seen = Interlocked.Read(ref shared.FirstTicks)) && Interlocked.CompareExchange(ref shared.FirstTicks, now, seen) != seen)
                {
                }

                producer.Produce("ceiling." + record.Topic["raw.".Length..], record.Message);
                positions[record.TopicPartition] = record.Offset.Value + 1;
                pending++;
            }

            if (sinceCommit.ElapsedMilliseconds >= 100 || Interlocked.Read(ref shared.Copied) + pending >= shared.Expected)
            {
                Commit();
                sinceCommit.Restart();
            }

            done = Interlocked.Read(ref shared.Copied) >= shared.Expected;
        }

        // Anything copied but not committed (a timeout, another loop's error) is dropped before the partitions are.
        producer.AbortTransaction();
        positions.Clear();
        consumer.Close();
    }

    /// <summary>What the loops share: the records committed, the first record's arrival, the first error, the start.</summary>
    private sealed class Shared(long expected, int loops)
    {
        public readonly long Expected = expected;
        public readonly Barrier Ready = new(loops);
        public long Copied;
        public long FirstTicks = long.MaxValue;
        public Exception? Error;
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
