using Confluent.Kafka;
using Streams.Runtime.Embedded;

namespace Streams.Runtime.Tests.Embedded;

/// <summary>
/// What the embedded cluster (librdkafka's mock brokers) does with the calls exactly-once depends on, measured.
/// Where it falls short of a real broker the engine is built so that it does not matter: input positions are
/// also kept in a compacted topic (PositionStore), and under exactly-once records are written only inside the
/// commit (KafkaRecordCollector), so a task that dies between commits leaves nothing for a reader to filter.
/// If a later librdkafka fixes these, these tests fail and say so.
/// </summary>
[TestFixture]
public sealed class MockClusterBehaviourTests
{
    [Test]
    public async Task Mock_cluster_does_not_apply_transactional_offset_commits_to_the_group()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("in", 1, 3);
        cluster.CreateTopic("out", 1, 3);
        using (var plain = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                plain.Produce("in", new Message<string, string> { Key = "k", Value = "v" + i });
            }

            plain.Flush();
        }

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "g1",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Subscribe("in");
        ConsumeResult<string, string>? last = null;
        for (var i = 0; i < 5;)
        {
            var r = consumer.Consume(TimeSpan.FromSeconds(10));
            if (r is not null)
            {
                last = r;
                i++;
            }
        }

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "t1" }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(10));
        producer.BeginTransaction();
        producer.Produce("out", new Message<string, string> { Key = "k", Value = "x" });
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(last!.TopicPartition, last.Offset + 1)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(10));
        producer.CommitTransaction(TimeSpan.FromSeconds(10));

        using var checker = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g1" }).Build();
        var committed = checker.Committed([new TopicPartition("in", 0)], TimeSpan.FromSeconds(10));
        Assert.That(committed[0].Offset, Is.EqualTo(Offset.Unset), "a real broker would report 5 here");
        consumer.Close();
    }

    [Test]
    public async Task Mock_cluster_shows_aborted_transactions_to_read_committed_consumers()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("t", 1, 3);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "a1" }).Build())
        {
            producer.InitTransactions(TimeSpan.FromSeconds(10));
            producer.BeginTransaction();
            for (var i = 0; i < 5; i++)
            {
                producer.Produce("t", new Message<string, string> { Key = "k", Value = "aborted" + i });
            }

            producer.Flush();
            producer.AbortTransaction(TimeSpan.FromSeconds(10));
            producer.BeginTransaction();
            producer.Produce("t", new Message<string, string> { Key = "k", Value = "committed" });
            producer.CommitTransaction(TimeSpan.FromSeconds(10));
        }

        var values = KafkaTestClient.ReadCommitted(cluster.BootstrapServers, "t", 1, TimeSpan.FromSeconds(10)).Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Value)).ToList();
        Assert.That(values, Is.EqualTo(new[] { "aborted0", "aborted1", "aborted2", "aborted3", "aborted4", "committed" }), "a real broker would hide the aborted five");
    }

    [Test]
    public async Task Mock_cluster_shows_the_open_transaction_of_a_producer_that_died()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("t", 1, 3);
        var dead = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "d1" }).Build();
        dead.InitTransactions(TimeSpan.FromSeconds(10));
        dead.BeginTransaction();
        for (var i = 0; i < 5; i++)
        {
            dead.Produce("t", new Message<string, string> { Key = "k", Value = "dead" + i });
        }

        dead.Flush();
        dead.Dispose();
        using (var next = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "d1" }).Build())
        {
            next.InitTransactions(TimeSpan.FromSeconds(10));
            next.BeginTransaction();
            next.Produce("t", new Message<string, string> { Key = "k", Value = "committed" });
            next.CommitTransaction(TimeSpan.FromSeconds(10));
        }

        var values = KafkaTestClient.ReadCommitted(cluster.BootstrapServers, "t", 1, TimeSpan.FromSeconds(10)).Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Value)).ToList();
        Assert.That(values, Is.EqualTo(new[] { "dead0", "dead1", "dead2", "dead3", "dead4", "committed" }), "a real broker would abort the dead producer's five");
    }

    [Test]
    public async Task A_committed_transaction_leaves_a_commit_marker_that_counts_in_the_end_offset()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("t", 1, 3);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "m1" }).Build())
        {
            producer.InitTransactions(TimeSpan.FromSeconds(10));
            producer.BeginTransaction();
            for (var i = 0; i < 10; i++)
            {
                producer.Produce("t", new Message<string, string> { Key = "k", Value = "v" + i });
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(10));
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "m",
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var end = consumer.QueryWatermarkOffsets(new TopicPartition("t", 0), TimeSpan.FromSeconds(5)).High.Value;
        consumer.Assign(new TopicPartitionOffset("t", 0, Offset.Beginning));
        var last = -1L;
        for (var i = 0; i < 10; i++)
        {
            last = consumer.Consume(TimeSpan.FromSeconds(5))!.Offset.Value;
        }

        consumer.Consume(TimeSpan.FromSeconds(1));
        var position = consumer.Position(new TopicPartition("t", 0)).Value;
        TestContext.Out.WriteLine($"end {end}, last {last}, position {position}");
        Assert.That(end, Is.EqualTo(11), "ten records and the commit marker");
        Assert.That(last, Is.EqualTo(9));
    }
}
