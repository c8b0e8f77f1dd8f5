using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streams.Runtime.Embedded;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock brokers, reached over real sockets with the real
/// protocol (produce, fetch, groups, transactions). It has no admin API, so topics are created here.
/// Dispose every client of the cluster before the cluster itself.
/// </summary>
public sealed class EmbeddedKafkaCluster : IAsyncDisposable, IDisposable
{
    private readonly IProducer<byte[], byte[]> _host;
    private readonly IntPtr _mock;
    private bool _disposed;

    private EmbeddedKafkaCluster(IProducer<byte[], byte[]> host, IntPtr mock, string bootstrapServers, int brokers)
    {
        _host = host;
        _mock = mock;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokers;
    }

    /// <summary>The bootstrap string any client, in or out of this process (kcat too), can use.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Starts the brokers.</summary>
    /// <param name="brokers">How many brokers; topics are spread over them.</param>
    /// <param name="initialRebalanceDelayMs">
    /// How long the coordinator waits for more members to join an empty group (a broker's
    /// group.initial.rebalance.delay.ms, 3 s by default; 0 here so a lone consumer starts at once). Any later join holds
    /// the whole group for the joining member's session.timeout.ms less one second, however soon the others rejoin, and
    /// cooperative-sticky takes two such rounds: with the default 45 s a second stream thread that misses the first
    /// generation waits about 88 s for its first task. Threads and instances started together share the first
    /// generation when this delay covers their start (MockClusterBehaviourTests, ThreadSpreadTests).
    /// </param>
    public static EmbeddedKafkaCluster Start(int brokers = 3, int initialRebalanceDelayMs = 0)
    {
        MockClusterNative.EnsureResolver();
        var config = new ProducerConfig
        {
            BootstrapServers = string.Empty,
        };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var host = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, _) => { })
            .Build();
        var rk = RawHandle(host);
        var mock = MockClusterNative.rd_kafka_handle_mock_cluster(rk);
        if (mock == IntPtr.Zero)
        {
            host.Dispose();
            throw new InvalidOperationException("librdkafka did not create a mock cluster (test.mock.num.brokers ignored?)");
        }

        var bootstraps = Marshal.PtrToStringUTF8(MockClusterNative.rd_kafka_mock_cluster_bootstraps(mock))
            ?? throw new InvalidOperationException("mock cluster has no bootstrap string");
        var cluster = new EmbeddedKafkaCluster(host, mock, bootstraps, brokers);
        cluster.SetInitialRebalanceDelay(initialRebalanceDelayMs);
        return cluster;
    }

    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1)
    {
        ThrowIfDisposed();
        var err = MockClusterNative.rd_kafka_mock_topic_create(_mock, topic, partitions, Math.Min(replicationFactor, BrokerCount));
        if (err != 0)
        {
            throw new KafkaException((ErrorCode)err);
        }
    }

    /// <summary>The coordinator's wait for more members of a group that is empty from now on (see <see cref="Start"/>).</summary>
    public void SetInitialRebalanceDelay(int delayMs)
    {
        ThrowIfDisposed();
        MockClusterNative.rd_kafka_mock_group_initial_rebalance_delay_ms(_mock, delayMs);
    }

    public void SetBrokerDown(int brokerId) => Check(MockClusterNative.rd_kafka_mock_broker_set_down(_mock, brokerId));

    public void SetBrokerUp(int brokerId) => Check(MockClusterNative.rd_kafka_mock_broker_set_up(_mock, brokerId));

    public void SetBrokerRtt(int brokerId, int rttMs) => Check(MockClusterNative.rd_kafka_mock_broker_set_rtt(_mock, brokerId, rttMs));

    /// <summary>Makes every broker answer <paramref name="rttMs"/> late (0: at once again).</summary>
    public void SetRtt(int rttMs)
    {
        for (var broker = 1; broker <= BrokerCount; broker++)
        {
            SetBrokerRtt(broker, rttMs);
        }
    }

    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(MockClusterNative.rd_kafka_mock_partition_set_leader(_mock, topic, partition, brokerId));

    /// <summary>Makes a broker the transaction coordinator of a transactional id.</summary>
    public void SetTransactionCoordinator(string transactionalId, int brokerId) =>
        Check(MockClusterNative.rd_kafka_mock_coordinator_set(_mock, "transaction", transactionalId, brokerId));

    /// <summary>The next <paramref name="errors"/>.Length requests of <paramref name="api"/> fail with these codes, in order.</summary>
    public void PushRequestErrors(KafkaApi api, params ErrorCode[] errors)
    {
        ThrowIfDisposed();
        var codes = errors.Select(e => (int)e).ToArray();
        MockClusterNative.rd_kafka_mock_push_request_errors_array(_mock, (short)api, (nuint)codes.Length, codes);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _host.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static IntPtr RawHandle(IClient client)
    {
        // Confluent.Kafka keeps the rd_kafka_t in a non-public SafeHandle on its Handle object.
        var handle = client.Handle;
        var property = handle.GetType().GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("Confluent.Kafka Handle.LibrdkafkaHandle not found");
        var safe = (SafeHandle)(property.GetValue(handle) ?? throw new InvalidOperationException("no librdkafka handle"));
        return safe.DangerousGetHandle();
    }

    private static void Check(int err)
    {
        if (err != 0)
        {
            throw new KafkaException((ErrorCode)err);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

/// <summary>Kafka protocol API keys used for fault injection.</summary>
public enum KafkaApi : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    SyncGroup = 14,
    InitProducerId = 22,
    AddPartitionsToTxn = 24,
    AddOffsetsToTxn = 25,
    EndTxn = 26,
    TxnOffsetCommit = 28,
}
