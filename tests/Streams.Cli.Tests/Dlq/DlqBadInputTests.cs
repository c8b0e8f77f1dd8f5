using System.Text;
using Confluent.Kafka;
using Streams.Runtime;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Tests.Dlq;

/// <summary>Bad input to `streams dlq`: a clear message, a non-zero exit, and nothing written anywhere.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DlqBadInputTests
{
    private DlqScenario _scenario = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _scenario = new DlqScenario();
        _scenario.Cluster.CreateTopic("dlq.manual", 1, 1);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _scenario.Bootstrap }).SetLogHandler((_, _) => { }).Build();

        // A dead letter as the engine writes it, and a record someone put on a dlq topic by hand, without headers.
        var original = new ConsumeResult<byte[], byte[]>
        {
            Topic = "raw.elb",
            Partition = 0,
            Offset = 7,
            Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("origin"), Value = Encoding.UTF8.GetBytes("not avro"), Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
        };
        producer.Produce(DlqScenario.DeadLetterTopic, new Message<byte[], byte[]>
        {
            Key = original.Message.Key,
            Value = original.Message.Value,
            Timestamp = original.Message.Timestamp,
            Headers = DeadLetters.Headers(original, "parse", "unparseable line", null),
        });
        producer.Produce("dlq.manual", new Message<byte[], byte[]> { Key = null!, Value = Encoding.UTF8.GetBytes("pasted by hand") });
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _scenario.DisposeAsync();

    [TestCase("dlq.nope", "does not exist on the cluster; dead-letter topics: known: dlq.manual, dlq.sink, dlq.topology")]
    [TestCase("raw.elb", "is not a dead-letter topic")]
    public async Task An_unknown_topic_is_refused(string topic, string message)
    {
        foreach (var command in new[] { "replay", "show" })
        {
            var run = await RunUnchanged("dlq", command, "-b", _scenario.Bootstrap, "--topic", topic);
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain($"'{topic}' " + message));
        }
    }

    [Test]
    public async Task A_reason_that_matches_nothing_is_refused_and_names_the_reasons_there()
    {
        foreach (var extra in new[] { Array.Empty<string>(), ["--dry-run", "--schema-registry-url", _scenario.RegistryUrl] })
        {
            var run = await RunUnchanged(["dlq", "replay", "-b", _scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic, "--reason", "timeout", .. extra]);
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("no record of dlq.topology matches reason containing 'timeout'; 1 record(s) there, reasons: 'unparseable line' (1)"));
        }

        var show = await RunUnchanged("dlq", "show", "-b", _scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic, "--reason", "timeout");
        Assert.That(show.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task A_record_without_error_headers_cannot_be_replayed_and_nothing_is()
    {
        foreach (var extra in new[] { Array.Empty<string>(), ["--dry-run", "--schema-registry-url", _scenario.RegistryUrl] })
        {
            var run = await RunUnchanged(["dlq", "replay", "-b", _scenario.Bootstrap, "--topic", "dlq.manual", .. extra]);
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("1 selected record(s) cannot be replayed, so nothing was: dlq.manual/0@0 has no __streams.errors.topic header"));
        }
    }

    [Test]
    public async Task Show_prints_what_it_can_of_a_record_that_is_neither_avro_nor_headed()
    {
        var run = await RunUnchanged("dlq", "show", "-b", _scenario.Bootstrap, "--topic", "dlq.manual");
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output, Does.Contain("origin   (unknown)").And.Contain("value    [text] pasted by hand").And.Contain("key      [empty]"));
    }

    [Test]
    public async Task Bad_times_and_a_dry_run_without_a_registry_are_refused()
    {
        var since = await RunUnchanged("dlq", "replay", "-b", _scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic, "--since", "yesterday");
        Assert.That(since.Error, Does.Contain("--since 'yesterday' is not a time"));
        var dry = await RunUnchanged("dlq", "replay", "-b", _scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic, "--dry-run");
        Assert.That(dry.Error, Does.Contain("--dry-run needs --schema-registry-url"));
        Assert.That(new[] { since.ExitCode, dry.ExitCode }, Is.All.EqualTo(2));
    }

    [Test]
    public void Replayed_offsets_are_kept_as_merged_ranges()
    {
        var ranges = new OffsetRanges();
        foreach (var o in new long[] { 5, 0, 2, 1, 7, 6, 9, 1 })
        {
            ranges.Add(o);
        }

        Assert.That(ranges.ToString(), Is.EqualTo("0-2,5-7,9-9"));
        Assert.That(ranges.Count, Is.EqualTo(7));
        Assert.That(new long[] { 0, 2, 5, 9 }.All(ranges.Contains) && !ranges.Contains(3) && !ranges.Contains(8) && !ranges.Contains(10), Is.True);
        Assert.That(OffsetRanges.Parse("9-9, 0-2,3-3,5-7").ToString(), Is.EqualTo("0-3,5-7,9-9"));
        Assert.Throws<FormatException>(() => OffsetRanges.Parse("4-1"));
    }

    private async Task<CliRun> RunUnchanged(params string[] args)
    {
        var before = _scenario.EndOffsets();
        var run = await CliRun.RunAsync(args);
        Assert.That(_scenario.EndOffsets(), Is.EqualTo(before), "nothing was written: " + string.Join(' ', args));
        return run;
    }
}
