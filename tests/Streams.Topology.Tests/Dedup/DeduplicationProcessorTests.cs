using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;
using Streams.Runtime;
using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;
using Streams.Runtime.State;
using Streams.Runtime.Testing;
using Streams.Topology.Dedup;

namespace Streams.Topology.Tests.Dedup;

[TestFixture]
public sealed class DeduplicationProcessorTests
{
    private const string StoreName = "seen-events";
    private const string Changelog = "test-driver-seen-events-changelog";
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    [Test]
    public void Repeat_within_the_window_is_dropped_and_counted()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter);
        Pipe(driver, "id-1", "first", 1_000);
        Pipe(driver, "id-1", "again", 1_000 + Hour - 1);

        Assert.Multiple(() =>
        {
            Assert.That(Outputs(driver), Is.EqualTo(new[] { ("id-1", "first") }));
            Assert.That(counter.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Repeat_exactly_one_retention_later_is_still_a_duplicate()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter);
        Pipe(driver, "id-1", "first", 1_000);
        Pipe(driver, "id-1", "again", 1_000 + Hour);

        Assert.That(counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void Repeat_after_the_window_is_kept()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter);
        Pipe(driver, "id-1", "first", 1_000);
        Pipe(driver, "id-1", "later", 1_000 + Hour + 1);

        Assert.Multiple(() =>
        {
            Assert.That(Outputs(driver), Is.EqualTo(new[] { ("id-1", "first"), ("id-1", "later") }));
            Assert.That(counter.Count, Is.Zero);
        });
    }

    [Test]
    public void Late_repeat_with_an_earlier_timestamp_within_the_window_is_dropped()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter);
        Pipe(driver, "id-1", "first", 10 * Hour);
        Pipe(driver, "id-1", "resent", (10 * Hour) - (Hour / 2));

        Assert.Multiple(() =>
        {
            Assert.That(Outputs(driver), Is.EqualTo(new[] { ("id-1", "first") }));
            Assert.That(counter.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Different_ids_are_all_kept()
    {
        using var driver = Driver(new DuplicateCounter());
        Pipe(driver, "id-1", "a", 1_000);
        Pipe(driver, "id-2", "b", 1_000);
        Pipe(driver, "id-3", "c", 1_001);

        Assert.That(Outputs(driver).Select(o => o.Key), Is.EqualTo(new[] { "id-1", "id-2", "id-3" }));
    }

    [Test]
    public void Callback_receives_the_id_of_every_dropped_record()
    {
        var dropped = new List<string>();
        using var driver = Driver(dropped.Add);
        Pipe(driver, "id-1", "a", 1);
        Pipe(driver, "id-2", "b", 2);
        Pipe(driver, "id-1", "a", 3);
        Pipe(driver, "id-2", "b", 4);
        Pipe(driver, "id-2", "b", 5);

        Assert.That(dropped, Is.EqualTo(new[] { "id-1", "id-2", "id-2" }));
    }

    [Test]
    public void Retention_given_to_the_store_sets_the_window()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter.Record, TimeSpan.FromMinutes(10));
        var tenMinutes = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
        Pipe(driver, "id-1", "first", 0);
        Pipe(driver, "id-1", "dup", tenMinutes);
        Pipe(driver, "id-1", "kept", (2 * tenMinutes) + 1);

        Assert.Multiple(() =>
        {
            Assert.That(Outputs(driver).Select(o => o.Value), Is.EqualTo(new[] { "first", "kept" }));
            Assert.That(counter.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Record_without_an_id_is_forwarded_and_not_remembered()
    {
        using var driver = Driver(new DuplicateCounter());
        driver.PipeInput("in", null, Encoding.UTF8.GetBytes("no id"), 1);
        driver.PipeInput("in", null, Encoding.UTF8.GetBytes("no id"), 2);

        Assert.Multiple(() =>
        {
            Assert.That(driver.Output("out"), Has.Count.EqualTo(2));
            Assert.That(driver.Output(Changelog), Is.Empty);
        });
    }

    [Test]
    public void Every_kept_id_is_written_to_the_changelog_so_a_restore_rebuilds_the_window()
    {
        using var driver = Driver(new DuplicateCounter());
        Pipe(driver, "id-1", "a", 1_000);
        Pipe(driver, "id-2", "b", 2_000);
        Pipe(driver, "id-1", "a", 3_000);

        // The window store's changelog record is id|timestamp (big-endian) → timestamp as a Kafka Int64.
        var logged = driver.Output(Changelog)
            .Select(r => (
                Id: Encoding.UTF8.GetString(r.Key!, 0, r.Key!.Length - 8),
                KeyTime: BinaryPrimitives.ReadInt64BigEndian(r.Key.AsSpan(r.Key.Length - 8)),
                Value: BinaryPrimitives.ReadInt64BigEndian(r.Value)))
            .ToList();
        Assert.That(logged, Is.EqualTo(new[] { ("id-1", 1_000L, 1_000L), ("id-2", 2_000L, 2_000L) }));
    }

    [Test]
    public void Store_contains_the_kept_ids_with_their_event_time()
    {
        using var driver = Driver(new DuplicateCounter());
        Pipe(driver, "id-1", "a", 5_000);
        var store = driver.GetStateStore<IWindowStore<string, long>>(StoreName);

        Assert.Multiple(() =>
        {
            Assert.That(store.Retention, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(store.Fetch("id-1", 0, 10_000), Is.EqualTo(new[] { new KeyValuePair<long, long>(5_000, 5_000) }));
        });
    }

    [Test]
    public void The_default_window_spans_two_days_so_a_day_of_S3_objects_listed_balancer_by_balancer_is_covered()
    {
        var counter = new DuplicateCounter();
        using var driver = Driver(counter.Record, retention: DeduplicationStore.DefaultRetention);
        Pipe(driver, "id-1", "alb at 00:05", 5 * 60_000);
        Pipe(driver, "id-2", "alb at 23:55", 24 * Hour - (5 * 60_000));
        Pipe(driver, "id-1", "again at 00:05", 5 * 60_000);

        Assert.That(DeduplicationStore.DefaultRetention, Is.EqualTo(TimeSpan.FromDays(2)));
        Assert.That(counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void Store_helper_declares_a_logged_window_store_with_a_changelog_retention_beyond_the_window()
    {
        var store = DeduplicationStore.Declare("dedup", TimeSpan.FromMinutes(30));
        Assert.Multiple(() =>
        {
            Assert.That(store.Name, Is.EqualTo("dedup"));
            Assert.That(store.Logged, Is.True);
            Assert.That(store.ChangelogConfig["retention.ms"], Is.EqualTo(((long)TimeSpan.FromMinutes(30 + (24 * 60)).TotalMilliseconds).ToString()));
        });
    }

    [Test]
    public void Same_line_shipped_twice_is_written_once_when_keyed_by_its_fingerprint()
    {
        var counter = new DuplicateCounter();
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.String, Serdes.String, "in")
            .AddProcessor("fingerprint", () => new KeyByFingerprint(), "in")
            .AddProcessor("dedup", () => new DeduplicationProcessor<string>(StoreName, counter.Record), "fingerprint")
            .AddStateStore(DeduplicationStore.Declare(StoreName), "dedup")
            .AddSink("out", "out", Serdes.String, Serdes.String, "dedup")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        Pipe(driver, "db-1", "CREATE DATABASE okt", 1_000);
        Pipe(driver, "db-1", "SELECT 1", 1_001);
        Pipe(driver, "db-1", "CREATE DATABASE okt", 1_000);
        Pipe(driver, "db-2", "CREATE DATABASE okt", 1_000);

        Assert.Multiple(() =>
        {
            Assert.That(Outputs(driver).Select(o => o.Value), Is.EqualTo(new[] { "CREATE DATABASE okt", "SELECT 1", "CREATE DATABASE okt" }));
            Assert.That(Outputs(driver).Select(o => o.Key), Is.All.Match("^[0-9a-f]{32}$"));
            Assert.That(counter.Count, Is.EqualTo(1));
        });
    }

    // The window tests reason in hours; the default window (two days) has its own test.
    private static TopologyTestDriver Driver(DuplicateCounter counter) => Driver(counter.Record, TimeSpan.FromHours(1));

    private static TopologyTestDriver Driver(Action<string> onDuplicate, TimeSpan? retention = null)
    {
        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.String, Serdes.String, "in")
            .AddProcessor("dedup", () => new DeduplicationProcessor<string>(StoreName, onDuplicate), "in")
            .AddStateStore(DeduplicationStore.Declare(StoreName, retention ?? TimeSpan.FromHours(1)), "dedup")
            .AddSink("out", "out", Serdes.String, Serdes.String, "dedup")
            .Build();
        return new TopologyTestDriver(topology);
    }

    private static void Pipe(TopologyTestDriver driver, string id, string value, long timestamp) =>
        driver.PipeInput("in", Confluent.Kafka.Serializers.Utf8, Confluent.Kafka.Serializers.Utf8, id, value, timestamp);

    /// <summary>Re-keys a record (key = origin host, value = line) by its event id, as the curation step will.</summary>
    private sealed class KeyByFingerprint : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;

        public void Init(IProcessorContext<string, string> context) => _context = context;

        public void Process(Record<string, string> record) =>
            _context.Forward(record.WithKey(EventFingerprint.Compute("mysql.general", record.Key, record.Timestamp * 1000, record.Value)));
    }

    private static List<(string Key, string Value)> Outputs(TopologyTestDriver driver) =>
        driver.Output("out").Select(r => (Encoding.UTF8.GetString(r.Key!), Encoding.UTF8.GetString(r.Value!))).ToList();
}
