using System.Buffers.Binary;
using System.Text;
using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;
using Streams.Runtime.State;
using Streams.Runtime.Testing;

namespace Streams.Runtime.Tests.Testing;

[TestFixture]
public sealed class TopologyTestDriverTests
{
    [Test]
    public void Running_sum_is_written_per_record_and_kept_in_the_store()
    {
        using var driver = new TopologyTestDriver(SumTopology.Build("in", "out"));
        Pipe(driver, "a", 1, 10);
        Pipe(driver, "b", 5, 11);
        Pipe(driver, "a", 2, 12);

        var output = driver.ReadOutput("out").Select(r => (Key: Encoding.UTF8.GetString(r.Key!), Sum: BinaryPrimitives.ReadInt64BigEndian(r.Value), r.Timestamp)).ToList();
        Assert.That(output, Is.EqualTo(new[] { ("a", 1L, 10L), ("b", 5L, 11L), ("a", 3L, 12L) }));
        var store = driver.GetStateStore<IKeyValueStore<string, long>>(SumTopology.Store);
        Assert.That(store.Get("a"), Is.EqualTo(3));
        Assert.That(store.Get("b"), Is.EqualTo(5));
        Assert.That(driver.Output("test-driver-sums-changelog"), Has.Count.EqualTo(3), "every store write is logged");
    }

    [Test]
    public void Poison_record_goes_to_the_dead_letter_topic_with_headers_and_processing_goes_on()
    {
        using var driver = new TopologyTestDriver(SumTopology.Build("in", "out"));
        Pipe(driver, "a", 1, 10);
        driver.PipeInput("in", Encoding.UTF8.GetBytes("a"), [1, 2, 3], 11);
        Pipe(driver, "a", 2, 12);

        Assert.That(driver.ReadOutput("out"), Has.Count.EqualTo(2));
        var dlq = driver.ReadOutput("dlq.test-driver");
        Assert.That(dlq, Has.Count.EqualTo(1));
        var dead = dlq[0];
        Assert.Multiple(() =>
        {
            Assert.That(dead.Value, Is.EqualTo(new byte[] { 1, 2, 3 }), "original bytes are kept");
            Assert.That(dead.Header("__streams.errors.stage"), Is.EqualTo("deserialize"));
            Assert.That(dead.Header("__streams.errors.reason"), Does.Contain("deserialized"));
            Assert.That(dead.Header("__streams.errors.exception.class"), Is.Not.Null);
            Assert.That(dead.Header("__streams.errors.exception.message"), Is.Not.Null);
            Assert.That(dead.Header("__streams.errors.topic"), Is.EqualTo("in"));
            Assert.That(dead.Header("__streams.errors.partition"), Is.EqualTo("0"));
            Assert.That(dead.Header("__streams.errors.offset"), Is.EqualTo("1"));
        });
    }

    [Test]
    public void Processing_exception_is_dead_lettered_with_stage_process()
    {
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.Serdes.String, Serdes.Serdes.String, "in")
            .AddProcessor("explode", () => new ThrowingProcessor(), "in")
            .AddSink("out", "out", Serdes.Serdes.String, Serdes.Serdes.String, "explode")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        driver.PipeInput("in", Serializer, Serializer, "k", "ok", 1);
        driver.PipeInput("in", Serializer, Serializer, "k", "boom", 2);

        Assert.That(driver.ReadOutput("out"), Has.Count.EqualTo(1));
        var dead = driver.ReadOutput("dlq.test-driver").Single();
        Assert.That(dead.Header("__streams.errors.stage"), Is.EqualTo("process"));
        Assert.That(dead.Header("__streams.errors.exception.class"), Is.EqualTo(typeof(InvalidDataException).FullName));
    }

    [Test]
    public void Stream_time_punctuation_fires_as_timestamps_pass_and_never_goes_backwards()
    {
        var fired = new List<long>();
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.Serdes.String, Serdes.Serdes.String, "in")
            .AddProcessor("p", () => new PunctuatingProcessor(PunctuationType.StreamTime, fired), "in")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        driver.PipeInput("in", Serializer, Serializer, "k", "v", 1_000);
        driver.PipeInput("in", Serializer, Serializer, "k", "v", 1_500);
        driver.PipeInput("in", Serializer, Serializer, "k", "v", 2_100);
        driver.PipeInput("in", Serializer, Serializer, "k", "v", 500);
        driver.PipeInput("in", Serializer, Serializer, "k", "v", 4_200);

        Assert.That(fired, Is.EqualTo(new long[] { 2_100, 4_200 }));
    }

    [Test]
    public void Wall_clock_punctuation_fires_when_the_clock_is_advanced()
    {
        var fired = new List<long>();
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.Serdes.String, Serdes.Serdes.String, "in")
            .AddProcessor("p", () => new PunctuatingProcessor(PunctuationType.WallClockTime, fired), "in")
            .Build();
        using var driver = new TopologyTestDriver(topology, wallClockStart: DateTimeOffset.FromUnixTimeMilliseconds(10_000));
        driver.AdvanceWallClockTime(TimeSpan.FromMilliseconds(999));
        Assert.That(fired, Is.Empty);
        driver.AdvanceWallClockTime(TimeSpan.FromMilliseconds(1));
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.EqualTo(new long[] { 11_000, 12_000 }));
    }

    [Test]
    public void Describe_prints_the_layout_of_Kafka_Streams_TopologyDescription()
    {
        var text = SumTopology.Build("in", "out").Describe();
        Assert.That(text, Is.EqualTo(
            "Topologies:\n" +
            "   Sub-topology: 0\n" +
            "    Source: input (topics: [in])\n" +
            "      --> sum\n" +
            "    Processor: sum (stores: [sums])\n" +
            "      --> output\n" +
            "      <-- input\n" +
            "    Sink: output (topic: out)\n" +
            "      <-- sum\n\n"));
    }

    [Test]
    public void A_child_of_the_wrong_type_is_refused_at_build_time()
    {
        var builder = new TopologyBuilder().AddSource("in", Serdes.Serdes.String, Serdes.Serdes.Long, "in");
        var ex = Assert.Throws<ArgumentException>(() => builder.AddSink("out", "out", Serdes.Serdes.String, Serdes.Serdes.String, "in"));
        Assert.That(ex!.Message, Does.Contain("'out' takes <String, String> but its parent 'in' forwards <String, Int64>"));
    }

    [Test]
    public void Through_topic_feeds_the_second_sub_topology()
    {
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.Serdes.String, Serdes.Serdes.Long, "in")
            .AddSink("to-through", "through", Serdes.Serdes.String, Serdes.Serdes.Long, "in")
            .AddSource("from-through", Serdes.Serdes.String, Serdes.Serdes.Long, "through")
            .AddProcessor("sum", () => new SumOnly(), "from-through")
            .AddSink("out", "out", Serdes.Serdes.String, Serdes.Serdes.Long, "sum")
            .Build();
        Assert.That(topology.Subtopologies, Has.Count.EqualTo(2));
        using var driver = new TopologyTestDriver(topology);
        Pipe(driver, "a", 4, 1);
        Assert.That(driver.ReadOutput("out").Select(r => BinaryPrimitives.ReadInt64BigEndian(r.Value)), Is.EqualTo(new[] { 8L }));
    }

    private static readonly Confluent.Kafka.ISerializer<string> Serializer = Confluent.Kafka.Serializers.Utf8;

    private static void Pipe(TopologyTestDriver driver, string key, long value, long ts) =>
        driver.PipeInput("in", Confluent.Kafka.Serializers.Utf8, Confluent.Kafka.Serializers.Int64, key, value, ts);

    private sealed class ThrowingProcessor : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _ctx = null!;

        public void Init(IProcessorContext<string, string> context) => _ctx = context;

        public void Process(Record<string, string> record)
        {
            if (record.Value == "boom")
            {
                throw new InvalidDataException("boom");
            }

            _ctx.Forward(record);
        }
    }

    private sealed class SumOnly : IProcessor<string, long, string, long>
    {
        private IProcessorContext<string, long> _ctx = null!;

        public void Init(IProcessorContext<string, long> context) => _ctx = context;

        public void Process(Record<string, long> record) => _ctx.Forward(record.WithValue(record.Value * 2));
    }

    private sealed class PunctuatingProcessor(PunctuationType type, List<long> fired) : IProcessor<string, string, string, string>
    {
        public void Init(IProcessorContext<string, string> context) => context.Schedule(TimeSpan.FromSeconds(1), type, fired.Add);

        public void Process(Record<string, string> record)
        {
        }
    }
}
