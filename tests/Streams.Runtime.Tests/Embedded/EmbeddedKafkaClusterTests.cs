using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Embedded;

namespace Streams.Runtime.Tests.Embedded;

[TestFixture]
public sealed class EmbeddedKafkaClusterTests
{
    [Test]
    public async Task Records_produced_through_real_clients_are_consumed_in_order()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("smoke", partitions: 3, replicationFactor: 3);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(new TopicPartition("smoke", new Partition(i % 3)), new Message<string, string> { Key = "k" + (i % 3), Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var seen = KafkaTestClient.ReadCommitted(cluster.BootstrapServers, "smoke", expected: 100, TimeSpan.FromSeconds(30));
        Assert.That(seen, Has.Count.EqualTo(100));
        foreach (var partition in seen.GroupBy(r => r.Partition))
        {
            var values = partition.Select(r => int.Parse(Encoding.UTF8.GetString(r.Message.Value), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.That(values, Is.Ordered, $"partition {partition.Key} out of order");
        }
    }

    [Test]
    public async Task Kcat_an_independent_client_reads_what_we_wrote()
    {
        if (!File.Exists("/usr/bin/kcat"))
        {
            Assert.Ignore("kcat is not installed (the CI script installs it)");
        }

        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("kcat-check", partitions: 1);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync("kcat-check", new Message<string, string> { Key = "key" + i, Value = "value-" + i });
            }
        }

        var psi = new ProcessStartInfo("/usr/bin/kcat", $"-b {cluster.BootstrapServers} -C -t kcat-check -o beginning -e -q -f %k=%s\\n")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kcat = Process.Start(psi)!;
        var output = await kcat.StandardOutput.ReadToEndAsync();
        await kcat.WaitForExitAsync();

        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"key{i}=value-{i}")));
    }
}
