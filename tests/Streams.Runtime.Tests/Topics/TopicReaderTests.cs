using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

[TestFixture]
public sealed class TopicReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Reads_every_committed_record_in_order_to_the_end()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("positions");
        cluster.CreateTopic("empty");
        Produce(cluster, "positions", ["a=1", "b=1", "a=2"]);

        var read = new List<string>();
        var found = CompactedTopicReader.TryReadToEnd(Settings(cluster), "positions", Timeout, r => read.Add(Encoding.UTF8.GetString(r.Message.Value)));
        var emptyFound = CompactedTopicReader.TryReadToEnd(Settings(cluster), "empty", Timeout, _ => Assert.Fail("the topic is empty"));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.True);
            Assert.That(read, Is.EqualTo(new[] { "a=1", "b=1", "a=2" }));
            Assert.That(emptyFound, Is.True);
        });
    }

    [Test]
    public async Task A_topic_the_cluster_does_not_have_is_missing_without_waiting_for_the_timeout()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        var clock = Stopwatch.StartNew();

        var found = CompactedTopicReader.TryReadToEnd(Settings(cluster), "absent.offsets", Timeout, _ => Assert.Fail("no records"));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.False);
            Assert.That(clock.Elapsed, Is.LessThan(Timeout / 2));
        });
    }

    /// <summary>
    /// A broker going down while a connector starts must not read as "the offsets topic does not exist": that stopped
    /// a connector for good, as a configuration error, in a fault-injection run.
    /// </summary>
    [Test]
    public async Task A_leader_that_is_down_for_a_while_is_waited_out_and_not_taken_for_a_missing_topic()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("offsets");
        cluster.SetPartitionLeader("offsets", 0, 2);
        Produce(cluster, "offsets", ["x=1", "x=2"]);
        cluster.SetBrokerDown(2);

        var read = new List<string>();
        var reading = Task.Run(() => CompactedTopicReader.TryReadToEnd(Settings(cluster), "offsets", Timeout, r => read.Add(Encoding.UTF8.GetString(r.Message.Value))));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.That(reading.IsCompleted, Is.False, reading.IsFaulted ? reading.Exception!.ToString() : "finished while the leader was down");
        cluster.SetBrokerUp(2);

        Assert.Multiple(async () =>
        {
            Assert.That(await reading, Is.True);
            Assert.That(read, Is.EqualTo(new[] { "x=1", "x=2" }));
        });
    }

    [Test]
    public async Task A_leader_that_stays_down_ends_in_a_timeout_naming_the_topic()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("offsets");
        cluster.SetPartitionLeader("offsets", 0, 3);
        cluster.SetBrokerDown(3);

        var ex = Assert.Throws<TimeoutException>(() => CompactedTopicReader.TryReadToEnd(Settings(cluster), "offsets", TimeSpan.FromSeconds(2), _ => { }));

        Assert.That(ex!.Message, Does.Contain("'offsets'"));
    }

    /// <summary>The tools' reader shares the compacted reader's end lookup: a leader down while it starts is waited out.</summary>
    [Test]
    public async Task ReadToEnd_reads_every_partition_and_waits_out_a_leader_that_is_down_for_a_while()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("dlq", partitions: 2);
        cluster.SetPartitionLeader("dlq", 0, 1);
        cluster.SetPartitionLeader("dlq", 1, 2);
        Produce(cluster, "dlq", ["a=1", "a=2"], partition: 0);
        Produce(cluster, "dlq", ["b=1"], partition: 1);
        cluster.SetBrokerDown(2);

        var client = new Dictionary<string, string> { ["bootstrap.servers"] = cluster.BootstrapServers };
        var reading = Task.Run(() => TopicReader.ReadToEnd(client, ["dlq"], Timeout).Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToList());
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.That(reading.IsCompleted, Is.False, reading.IsFaulted ? reading.Exception!.ToString() : "finished while a leader was down");
        cluster.SetBrokerUp(2);

        Assert.That(await reading, Is.EquivalentTo(new[] { "a=1", "a=2", "b=1" }));
    }

    [Test]
    public async Task ReadToEnd_of_a_topic_the_cluster_does_not_have_names_it()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        var client = new Dictionary<string, string> { ["bootstrap.servers"] = cluster.BootstrapServers };

        var ex = Assert.Throws<InvalidOperationException>(() => TopicReader.ReadToEnd(client, ["absent.dlq"], Timeout).ToList());

        Assert.That(ex!.Message, Does.Contain("absent.dlq"));
    }

    private static ConsumerConfig Settings(EmbeddedKafkaCluster cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = "compacted-reader-test",
        IsolationLevel = IsolationLevel.ReadCommitted,
    };

    private static void Produce(EmbeddedKafkaCluster cluster, string topic, IEnumerable<string> values, int partition = 0)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Acks = Acks.All })
            .SetLogHandler((_, _) => { }).Build();
        foreach (var v in values)
        {
            var key = v.Split('=')[0];
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(v) });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }
}
