using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Embedded;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// An embedded cluster with input/output topics and settings like Kafka's EosIntegrationTest: commit every
/// 100 ms, short session and poll intervals, earliest offsets, output read with read_committed.
/// </summary>
internal sealed class EosHarness : IAsyncDisposable
{
    private readonly List<string> _stateDirs = [];

    public EosHarness(int inputPartitions = 2, int outputPartitions = 2, int initialRebalanceDelayMs = 0)
    {
        Cluster = EmbeddedKafkaCluster.Start(brokers: 3, initialRebalanceDelayMs);
        Cluster.CreateTopic(Input, inputPartitions, 3);
        Cluster.CreateTopic(Output, outputPartitions, 3);
        Cluster.CreateTopic(Dlq, 1, 3);
        Cluster.CreateTopic(Topology.PositionsTopic(ApplicationId), 1, 3);
    }

    public string ApplicationId { get; } = "eos-" + Guid.NewGuid().ToString("N")[..8];

    public EmbeddedKafkaCluster Cluster { get; }

    public string Input => "input";

    public string Output => "output";

    public string Dlq => "dlq";

    public string Changelog => Topology.ChangelogTopic(ApplicationId, SumTopology.Store);

    public void CreateChangelog(int partitions) => Cluster.CreateTopic(Changelog, partitions, 3);

    public StreamsConfig Config(string? stateDir = null, ProcessingGuarantee guarantee = ProcessingGuarantee.ExactlyOnceV2, int threads = 1, string strategy = "range", int sessionTimeoutMs = 6000, TimeSpan? commitInterval = null, bool holdOutput = true, bool overlapCommit = true)
    {
        stateDir ??= NewStateDir();
        return new StreamsConfig
        {
            ApplicationId = ApplicationId,
            BootstrapServers = Cluster.BootstrapServers,
            ProcessingGuarantee = guarantee,
            CommitInterval = commitInterval ?? TimeSpan.FromMilliseconds(100),
            HoldOutput = holdOutput,
            OverlapCommit = overlapCommit,
            NumStreamThreads = threads,
            StateDir = stateDir,
            SessionTimeout = TimeSpan.FromMilliseconds(sessionTimeoutMs),
            MaxPollInterval = TimeSpan.FromMilliseconds(Math.Max(sessionTimeoutMs, 6000)),
            TransactionTimeout = TimeSpan.FromSeconds(10),
            CloseTimeout = TimeSpan.FromSeconds(30),
            DeserializationErrors = ErrorHandling.ContinueToDlq,
            ProcessingErrors = ErrorHandling.ContinueToDlq,
            DeadLetterTopic = Dlq,
            AssignmentStrategy = strategy,
            ClientSettings = new Dictionary<string, string>
            {
                ["topic.metadata.refresh.interval.ms"] = "1000",
                ["consumer.heartbeat.interval.ms"] = "300",
            },
        };
    }

    public string NewStateDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streams-test-" + Guid.NewGuid().ToString("N"));
        _stateDirs.Add(dir);
        return dir;
    }

    /// <summary>Writes (key, value) records spread by key; with a transactional producer when asked.</summary>
    public void Produce(IEnumerable<(string Key, long Value)> records, bool transactional = false)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        };
        if (transactional)
        {
            config.TransactionalId = "input-writer-" + Guid.NewGuid().ToString("N");
        }

        using var producer = new ProducerBuilder<string, long>(config).SetLogHandler((_, _) => { }).Build();
        if (transactional)
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
        }

        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (key, value) in records)
        {
            producer.Produce(Input, new Message<string, long> { Key = key, Value = value, Timestamp = new Timestamp(ts++, TimestampType.CreateTime) });
        }

        if (transactional)
        {
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }
        else
        {
            if (producer.Flush(TimeSpan.FromSeconds(60)) > 0)
            {
                Assert.Fail("the test input could not be written");
            }
        }
    }

    public List<(string Key, long Value)> ReadOutput(int expected, TimeSpan timeout) =>
        KafkaTestClient.ReadCommitted(Cluster.BootstrapServers, Output, expected, timeout, TimeSpan.FromSeconds(2))
            .Select(r => (Encoding.UTF8.GetString(r.Message.Key), BinaryPrimitives.ReadInt64BigEndian(r.Message.Value)))
            .ToList();

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what, Func<string>? progress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var nextReport = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            if (progress is not null && DateTime.UtcNow > nextReport)
            {
                TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} waiting until {what}: {progress()}");
                nextReport = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting until " + what + (progress is null ? string.Empty : ": " + progress()));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The per-key running sums a failure-free run writes, in order.</summary>
    public static Dictionary<string, List<long>> ExpectedRunningSums(IEnumerable<(string Key, long Value)> input)
    {
        var result = new Dictionary<string, List<long>>();
        var sums = new Dictionary<string, long>();
        foreach (var (key, value) in input)
        {
            sums[key] = sums.GetValueOrDefault(key) + value;
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add(sums[key]);
        }

        return result;
    }

    public static Dictionary<string, List<long>> PerKey(IEnumerable<(string Key, long Value)> output) =>
        output.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var dir in _stateDirs.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
