using System.Text;
using Streams.Runtime.Processor;
using Streams.Runtime.Testing;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// An output record over the producer's message.max.bytes is an error of the input that made it: that input is
/// dead-lettered and the thread goes on. Under exactly-once output is produced at the commit, so a refusal there
/// would fail every retry of the same commit.
/// </summary>
[TestFixture]
public sealed class OversizedOutputTests
{
    private const int HugeBytes = 1_200_000;

    [Test]
    public async Task An_output_too_large_for_the_producer_dead_letters_its_input_and_the_rest_goes_through()
    {
        await using var h = new EosHarness(inputPartitions: 1, outputPartitions: 1);
        var inputs = Enumerable.Range(0, 30).Select(i => i == 11 ? "huge" : "v" + i).ToList();
        using (var producer = new Confluent.Kafka.ProducerBuilder<string, string>(new Confluent.Kafka.ProducerConfig { BootstrapServers = h.Cluster.BootstrapServers }).Build())
        {
            foreach (var value in inputs)
            {
                producer.Produce(h.Input, new Confluent.Kafka.Message<string, string> { Key = "k", Value = value });
            }

            producer.Flush();
        }

        await using (var app = new KafkaStreams(Build(h.Input, h.Output), h.Config()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(1), TimeSpan.FromSeconds(60), "input committed");
            Assert.That(app.Failure, Is.Null, "the thread goes on");
        }

        var output = KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, h.Output, 29, TimeSpan.FromSeconds(20)).Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToList();
        var dead = KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, h.Dlq, 1, TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(output, Is.EqualTo(inputs.Where(v => v != "huge")));
            Assert.That(dead, Has.Count.EqualTo(1));
            Assert.That(Encoding.UTF8.GetString(dead[0].Message.Value), Is.EqualTo("huge"), "the input is dead-lettered, not the output");
            Assert.That(Header(dead[0], "reason"), Does.Contain("message.max.bytes").And.Contain($"a record of {HugeBytes + 1} bytes"), "key and value count");
            Assert.That(Header(dead[0], "offset"), Is.EqualTo("11"));
        });
    }

    [Test]
    public void The_test_driver_refuses_the_same_record_as_the_producer_would()
    {
        using var driver = new TopologyTestDriver(Build("in", "out"));
        driver.PipeInput("in", "k"u8.ToArray(), "huge"u8.ToArray(), 1);
        driver.PipeInput("in", "k"u8.ToArray(), "small"u8.ToArray(), 2);

        Assert.Multiple(() =>
        {
            Assert.That(driver.ReadOutput("out").Select(r => Encoding.UTF8.GetString(r.Value!)), Is.EqualTo(new[] { "small" }));
            Assert.That(driver.ReadOutput("dlq.test-driver"), Has.Count.EqualTo(1));
        });
    }

    private static string? Header(Confluent.Kafka.ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(DeadLetters.HeaderPrefix + name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static Topology Build(string input, string output) => new TopologyBuilder()
        .AddSource("input", Serdes.Serdes.ByteArray, Serdes.Serdes.ByteArray, input)
        .AddProcessor("inflate", () => new Inflate(), "input")
        .AddSink("output", output, Serdes.Serdes.ByteArray, Serdes.Serdes.ByteArray, "inflate")
        .Build();

    /// <summary>"huge" becomes 1.2 MB of output; anything else passes as it is.</summary>
    private sealed class Inflate : IProcessor<byte[], byte[], byte[], byte[]>
    {
        private IProcessorContext<byte[], byte[]> _context = null!;

        public void Init(IProcessorContext<byte[], byte[]> context) => _context = context;

        public void Process(Record<byte[], byte[]> record) =>
            _context.Forward(record.Value.AsSpan().SequenceEqual("huge"u8) ? record.WithValue(new byte[HugeBytes]) : record);
    }
}
