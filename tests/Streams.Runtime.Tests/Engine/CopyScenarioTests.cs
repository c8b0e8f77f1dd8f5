using System.Buffers.Binary;
using System.Text;
using Streams.Runtime.Processor;
using Streams.Runtime.Testing;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class CopyScenarioTests
{
    [Test]
    public async Task Restart_after_a_clean_close_neither_loses_nor_repeats_and_the_checkpoint_matches_the_changelog_end()
    {
        var random = new Random(3);
        var input = Enumerable.Range(0, 3_000).Select(_ => ("k" + random.Next(10), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 2);
        h.CreateChangelog(2);
        var stateDir = h.NewStateDir();
        h.Produce(input.Take(1_500));

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(stateDir)))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(60), "the first half is committed");
        }

        foreach (var partition in new[] { 0, 1 })
        {
            var checkpoint = Path.Combine(stateDir, h.ApplicationId, $"0_{partition}", ".checkpoint");
            Assert.That(File.Exists(checkpoint), Is.True, "a clean close writes a checkpoint");
            var line = File.ReadAllText(checkpoint).Trim().Split(' ');
            using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig { BootstrapServers = h.Cluster.BootstrapServers, GroupId = "x" }).Build();
            var end = consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition(h.Changelog, partition), TimeSpan.FromSeconds(5)).High.Value;
            Assert.That(line[0], Is.EqualTo(h.Changelog));
            Assert.That(long.Parse(line[2], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(end), "checkpoint = end of the changelog, so a restart restores nothing");
        }

        h.Produce(input.Skip(1_500));
        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(stateDir)))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(60), "the second half is committed");
            Assert.That(app.Metrics.RestoredRecords.Total, Is.Zero, "the checkpointed store needed no restoration");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }

    [Test]
    public async Task Transactional_input_many_partitions_into_one_output_partition_commits_every_position()
    {
        var random = new Random(5);
        var input = Enumerable.Range(0, 2_000).Select(_ => ("k" + random.Next(25), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 5, outputPartitions: 1);
        h.CreateChangelog(5);
        h.Produce(input.Take(1_000), transactional: true);
        h.Produce(input.Skip(1_000), transactional: true);

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(5), TimeSpan.FromSeconds(60), "every one of the five input partitions is committed to its end");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(output, Has.Count.EqualTo(input.Count));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }

    [Test]
    public async Task Poison_records_reach_the_dead_letter_topic_and_the_test_driver_gives_the_same_output_as_the_cluster()
    {
        var inputs = new List<(string Key, byte[] Value)>();
        for (var i = 0; i < 300; i++)
        {
            var value = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(value, i);
            inputs.Add(("k" + (i % 7), i % 50 == 0 ? Encoding.UTF8.GetBytes("not-a-long") : value));
        }

        await using var h = new EosHarness(inputPartitions: 1, outputPartitions: 1);
        h.CreateChangelog(1);
        using (var producer = new Confluent.Kafka.ProducerBuilder<string, byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = h.Cluster.BootstrapServers }).Build())
        {
            var ts = 1_700_000_000_000L;
            foreach (var (key, value) in inputs)
            {
                producer.Produce(h.Input, new Confluent.Kafka.Message<string, byte[]> { Key = key, Value = value, Timestamp = new Confluent.Kafka.Timestamp(ts++, Confluent.Kafka.TimestampType.CreateTime) });
            }

            producer.Flush();
        }

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(1), TimeSpan.FromSeconds(60), "input committed");
            Assert.That(app.Failure, Is.Null, "poison records never stop the thread");
        }

        var clusterOut = KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, h.Output, 294, TimeSpan.FromSeconds(20))
            .Select(r => (Encoding.UTF8.GetString(r.Message.Key), BinaryPrimitives.ReadInt64BigEndian(r.Message.Value), r.Message.Timestamp.UnixTimestampMs)).ToList();
        var clusterDlq = KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, h.Dlq, 6, TimeSpan.FromSeconds(10));

        using var driver = new TopologyTestDriver(SumTopology.Build(h.Input, h.Output));
        var ts2 = 1_700_000_000_000L;
        foreach (var (key, value) in inputs)
        {
            driver.PipeInput(h.Input, Encoding.UTF8.GetBytes(key), value, ts2++);
        }

        var driverOut = driver.ReadOutput(h.Output).Select(r => (Encoding.UTF8.GetString(r.Key!), BinaryPrimitives.ReadInt64BigEndian(r.Value), r.Timestamp)).ToList();
        Assert.That(clusterOut, Is.EqualTo(driverOut), "same topology, same input, same output");
        Assert.That(clusterDlq, Has.Count.EqualTo(6));
        Assert.That(driver.ReadOutput("dlq.test-driver"), Has.Count.EqualTo(6));
        foreach (var dead in clusterDlq)
        {
            var headers = dead.Message.Headers.ToDictionary(x => x.Key, x => Encoding.UTF8.GetString(x.GetValueBytes()));
            Assert.Multiple(() =>
            {
                Assert.That(Encoding.UTF8.GetString(dead.Message.Value), Is.EqualTo("not-a-long"));
                Assert.That(headers["__streams.errors.stage"], Is.EqualTo("deserialize"));
                Assert.That(headers["__streams.errors.topic"], Is.EqualTo(h.Input));
                Assert.That(headers["__streams.errors.partition"], Is.EqualTo("0"));
                Assert.That(long.Parse(headers["__streams.errors.offset"], System.Globalization.CultureInfo.InvariantCulture) % 50, Is.Zero);
                Assert.That(headers, Does.ContainKey("__streams.errors.reason"));
                Assert.That(headers, Does.ContainKey("__streams.errors.exception.class"));
                Assert.That(headers, Does.ContainKey("__streams.errors.exception.message"));
            });
        }
    }
}
