using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Internals;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// The collector's exactly-once commit on the embedded cluster. Overlapped: a commit is written beside what is sent
/// next, which is held apart for the transaction after it; the next wait throws what the commit failed with; abandoning
/// waits for it. Without delivery reports: a record the broker refuses fails the commit before any position is written.
/// </summary>
[TestFixture]
public sealed class OverlappedCommitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Output_sent_while_a_commit_is_in_flight_goes_into_the_next_transaction()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        using var setup = new Setup(cluster, "t-overlap");
        var collector = setup.Collector;
        Send(collector, "a1", "a2", "a3");

        // Each broker answers 500 ms late: the commit takes seconds, so it is still in flight below.
        cluster.SetRtt(500);
        collector.BeginCommit([], setup.Group, Timeout, () => { });
        Assert.That(collector.CommitInFlight, Is.True);
        Send(collector, "b1", "b2");
        Assert.That(collector.PendingCount, Is.EqualTo(2), "what is sent meanwhile is held for the next transaction");
        cluster.SetRtt(0);

        collector.CompleteCommit();
        Assert.That(collector.CommitInFlight, Is.False);
        Assert.That(ReadValues(cluster, 3), Is.EqualTo(new[] { "a1", "a2", "a3" }), "the first transaction holds only what was sent before it began");

        collector.BeginCommit([], setup.Group, Timeout, () => { });
        collector.CompleteCommit();
        Assert.That(ReadValues(cluster, 5), Is.EqualTo(new[] { "a1", "a2", "a3", "b1", "b2" }));
    }

    [Test]
    public async Task A_commit_that_fails_in_flight_fails_the_next_wait_and_the_interval_after_it_is_dropped()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        using var setup = new Setup(cluster, "t-overlap-fail");
        var collector = setup.Collector;
        Send(collector, "a1");
        collector.BeginCommit([], setup.Group, Timeout, () => throw new InvalidOperationException("positions refused"));
        Send(collector, "b1");

        var failure = Assert.Throws<InvalidOperationException>(collector.CompleteCommit);
        Assert.That(failure!.Message, Is.EqualTo("positions refused"), "the commit's own exception, as a commit on the stream thread throws it");

        collector.Abandon(abort: true);
        Assert.Multiple(() =>
        {
            Assert.That(collector.PendingCount, Is.Zero, "the interval processed meanwhile is dropped with it");
            Assert.That(collector.TransactionOpen, Is.False, "its transaction was aborted");
        });

        // The producer goes on with a new transaction. "a1" may show: the embedded cluster shows aborted records.
        Send(collector, "c1");
        collector.CommitTransaction([], setup.Group, Timeout, () => { });
        var values = ReadValues(cluster, 1, settle: TimeSpan.FromSeconds(2));
        Assert.That(values, Does.Contain("c1"));
        Assert.That(values, Does.Not.Contain("b1"), "held output of the dropped interval is never written");
    }

    [Test]
    public async Task Abandoning_waits_for_the_commit_in_flight_which_commits()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        using var setup = new Setup(cluster, "t-overlap-abandon");
        var collector = setup.Collector;
        Send(collector, "a1", "a2");
        cluster.SetRtt(300);
        collector.BeginCommit([], setup.Group, Timeout, () => { });
        Send(collector, "b1");
        cluster.SetRtt(0);

        collector.Abandon(abort: true);
        Assert.Multiple(() =>
        {
            Assert.That(collector.CommitInFlight, Is.False);
            Assert.That(collector.PendingCount, Is.Zero);
        });
        Assert.That(ReadValues(cluster, 3, settle: TimeSpan.FromSeconds(1)), Is.EqualTo(new[] { "a1", "a2" }), "the commit in flight ended as it would have; only the interval after it is dropped");
    }

    [Test]
    public async Task A_record_the_broker_refuses_fails_the_commit_and_no_position_is_written()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("positions", 1, 3);
        using var setup = new Setup(cluster, "t-refused");
        var collector = setup.Collector;
        Send(collector, "a1", "a2");

        // The next produce request is refused for good. Output has no delivery reports under exactly-once, so only
        // librdkafka's transaction state can keep the positions from being written after it.
        cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.MsgSizeTooLarge);
        var failure = Assert.Catch(() => collector.CommitTransaction([], setup.Group, Timeout, () => collector.SendNow("positions", 0, "in/0"u8.ToArray(), "2"u8.ToArray(), 1_000)));
        Assert.That(failure, Is.InstanceOf<KafkaException>().Or.InstanceOf<TaskMigratedException>());
        collector.Abandon(abort: true);

        // The embedded cluster shows aborted records, so this reads uncommitted ones too: a position written in the
        // failed transaction would show here.
        Assert.Multiple(() =>
        {
            Assert.That(KafkaTestClient.ReadUncommitted(cluster.BootstrapServers, "positions", 0, Timeout, TimeSpan.FromSeconds(2)), Is.Empty, "no position after a refused record");
            Assert.That(KafkaTestClient.ReadUncommitted(cluster.BootstrapServers, "out", 0, Timeout, TimeSpan.FromSeconds(1)), Is.Empty, "the refused records were never written");
        });
    }

    private static void Send(KafkaRecordCollector collector, params string[] values)
    {
        foreach (var value in values)
        {
            collector.Send("out", 0, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes(value), 1_000, null);
        }
    }

    private static List<string> ReadValues(EmbeddedKafkaCluster cluster, int expected, TimeSpan? settle = null) =>
        KafkaTestClient.ReadCommitted(cluster.BootstrapServers, "out", expected, Timeout, settle ?? TimeSpan.FromMilliseconds(300))
            .Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToList();

    /// <summary>A transactional producer ready for its first transaction, a collector holding output, and group metadata.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly IConsumer<byte[], byte[]> _consumer;

        public Setup(EmbeddedKafkaCluster cluster, string transactionalId)
        {
            cluster.CreateTopic("out", 1, 3);
            // As the engine builds it: no delivery reports under exactly-once.
            var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = transactionalId, EnableIdempotence = true, Acks = Acks.All, LingerMs = 0, EnableDeliveryReports = false };
            var producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
            TransactionCalls.InitTransactions(producer, Timeout);
            Collector = new KafkaRecordCollector(producer, exactlyOnce: true);
            _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g-" + transactionalId }).Build();
        }

        public KafkaRecordCollector Collector { get; }

        public IConsumerGroupMetadata Group => _consumer.ConsumerGroupMetadata;

        public void Dispose()
        {
            Collector.DisposeProducer();
            _consumer.Dispose();
        }
    }
}
