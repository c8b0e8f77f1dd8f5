using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// A transactional call on a cluster that stops answering returns within its limit, and a new producer under the same
/// transactional id takes over once the cluster answers again: what lets a stream thread finish its close instead of
/// hanging in a commit with its consumer still in the group.
/// </summary>
[TestFixture]
public sealed class TransactionCallsTests
{
    [Test]
    public async Task A_transactional_call_to_a_cluster_that_stopped_answering_returns_within_its_limit_and_a_successor_takes_over()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("out", 1, 3);
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, TransactionalId = "t-hung", EnableIdempotence = true, Acks = Acks.All };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g-hung" }).Build();
        var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        TransactionCalls.InitTransactions(producer, TimeSpan.FromSeconds(10));
        producer.BeginTransaction();
        producer.Produce("out", new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "lost"u8.ToArray() });
        Assert.That(producer.Flush(TimeSpan.FromSeconds(10)), Is.Zero);

        // Every broker now answers after 30 s: the call's own timeout is 1 s, its limit 3 s.
        cluster.SetRtt(30_000);

        var timeout = TimeSpan.FromSeconds(1);
        var watch = Stopwatch.StartNew();
        Exception? failure = null;
        try
        {
            TransactionCalls.SendOffsetsToTransaction(producer, [new TopicPartitionOffset("in", 0, 5)], consumer.ConsumerGroupMetadata, timeout);
        }
        catch (Exception ex) when (ex is KafkaException or TransactionCallHungException)
        {
            failure = ex;
        }

        watch.Stop();
        Assert.That(failure, Is.Not.Null, "the offsets cannot have reached a coordinator that answers in 30 s");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "bounded by the limit, not by the cluster's 30 s");
        TestContext.Progress.WriteLine($"SendOffsetsToTransaction gave up after {watch.Elapsed.TotalSeconds:0.0} s: {failure!.GetType().Name}: {failure.Message}");

        cluster.SetRtt(0);

        // Disposed once idle; the successor fences it and its open transaction is aborted.
        TransactionCalls.DisposeWhenIdle(producer, failure as TransactionCallHungException);
        using var successor = new ProducerBuilder<byte[], byte[]>(config).Build();
        TransactionCalls.InitTransactions(successor, TimeSpan.FromSeconds(30));
        successor.BeginTransaction();
        successor.Produce("out", new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "committed"u8.ToArray() });
        TransactionCalls.CommitTransaction(successor, TimeSpan.FromSeconds(10));

        var values = TopicReader.ReadToEnd(new Dictionary<string, string> { ["bootstrap.servers"] = cluster.BootstrapServers }, ["out"], TimeSpan.FromSeconds(30))
            .Select(r => Encoding.UTF8.GetString(r.Message.Value))
            .ToList();
        Assert.That(values, Does.Contain("committed"));
    }
}
