using System.Diagnostics;
using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Internals;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// The end offsets a restore starts from are asked of an admin client the stream thread keeps. With every broker down
/// the lookup fails ("No leaders found"); once they are back it must be answered again. (In a soak, one instance's
/// lookups kept failing that way for over a minute after a broker down/up, every assignment failing its restore; a
/// failed lookup now starts over with a new client. That case did not recur when its seed was replayed alone.)
/// </summary>
[TestFixture]
public sealed class EndOffsetsTests
{
    [Test]
    public async Task End_offsets_are_answered_again_once_a_broker_that_went_down_is_back()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("changelog", 3, 3);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var p = 0; p < 3; p++)
            {
                producer.Produce(new TopicPartition("changelog", p), new Message<byte[], byte[]> { Key = [1], Value = [2] });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var config = new StreamsConfig { ApplicationId = "end-offsets", BootstrapServers = cluster.BootstrapServers };
        using var endOffsets = new EndOffsets(config);
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartition("changelog", p)).ToList();
        Assert.That(endOffsets.High(partitions, TimeSpan.FromSeconds(10)).Values, Is.All.EqualTo(1));

        var failures = 0;
        for (var broker = 1; broker <= cluster.BrokerCount; broker++)
        {
            cluster.SetBrokerDown(broker);
        }

        // The mock cluster takes a broker down asynchronously: ask until a lookup fails.
        var down = Stopwatch.StartNew();
        while (failures == 0 && down.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                endOffsets.High(partitions, TimeSpan.FromSeconds(2));
                Thread.Sleep(200);
            }
            catch (KafkaException)
            {
                failures++;
            }
        }

        for (var broker = 1; broker <= cluster.BrokerCount; broker++)
        {
            cluster.SetBrokerUp(broker);
        }

        var watch = Stopwatch.StartNew();
        Dictionary<TopicPartition, long>? ends = null;
        while (ends is null && watch.Elapsed < TimeSpan.FromSeconds(40))
        {
            try
            {
                ends = endOffsets.High(partitions, TimeSpan.FromSeconds(2));
            }
            catch (KafkaException ex)
            {
                failures++;
                TestContext.Progress.WriteLine($"{watch.Elapsed.TotalSeconds:0.0}s: {ex.Message}");
                Thread.Sleep(500);
            }
        }

        Assert.That(failures, Is.Positive, "with every broker down the lookup fails");
        Assert.That(ends?.Values, Is.All.EqualTo(1), $"answered again within 40 s of the brokers' return ({failures} failed lookups)");
        TestContext.Progress.WriteLine($"answered again {watch.Elapsed.TotalSeconds:0.0} s after the brokers' return, {failures} failed lookups");
    }
}
