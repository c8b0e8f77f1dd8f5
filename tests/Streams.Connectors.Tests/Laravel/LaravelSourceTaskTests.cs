using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Connectors.Laravel;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Laravel;

[TestFixture]
public sealed class LaravelSourceTaskTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private LaravelLogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LaravelLogDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task Entries_with_stack_traces_become_one_record_each()
    {
        var entries = LaravelLogDirectory.CorpusEntries();
        LaravelLogDirectory.Append(_dir.LogFile, entries);
        await using var task = await StartedTask(TimeSpan.FromMilliseconds(100));

        var records = await PollUntil(task, entries.Count);

        var identity = FileIdentity.Of(_dir.LogFile)!.Value.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EqualTo(entries));
            Assert.That(records[0].Value.text, Does.Contain("\n[stacktrace]\n#0 "));
            Assert.That(records.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { Environment.MachineName + ":" + _dir.LogFile }));
            Assert.That(records.Select(r => r.Value.file_identity).Distinct(), Is.EqualTo(new[] { identity }));
            Assert.That(records[0].Value.byte_offset, Is.Zero);
            Assert.That(records[1].Value.byte_offset, Is.EqualTo(System.Text.Encoding.UTF8.GetByteCount(entries[0] + "\n")));
            Assert.That(records[0].SourceOffset.ByteOffset, Is.EqualTo(records[1].Value.byte_offset), "an offset is the start of the next entry");
            Assert.That(records[^1].SourceOffset.ByteOffset, Is.EqualTo(new FileInfo(_dir.LogFile).Length));
            Assert.That(records[0].Value.offset, Does.Contain("\"byteOffset\":" + records[1].Value.byte_offset));
        });
    }

    [Test]
    public async Task The_last_entry_waits_for_the_idle_timeout()
    {
        var entries = LaravelLogDirectory.NumberedEntries(2);
        LaravelLogDirectory.Append(_dir.LogFile, entries);
        await using var task = await StartedTask(TimeSpan.FromMilliseconds(400));
        var started = DateTime.UtcNow;

        var first = await task.PollAsync(10, CancellationToken.None);
        Assert.That(first.Select(r => r.Value.text), Is.EqualTo(entries.Take(1)), "the second entry may still grow");

        var second = await PollUntil(task, 1);
        Assert.Multiple(() =>
        {
            Assert.That(second.Select(r => r.Value.text), Is.EqualTo(entries.Skip(1)));
            Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)));
        });
    }

    [Test]
    public async Task A_restart_resumes_at_the_committed_offset()
    {
        var entries = LaravelLogDirectory.NumberedEntries(6);
        LaravelLogDirectory.Append(_dir.LogFile, entries);
        await using var task = await StartedTask(TimeSpan.FromMilliseconds(100));
        var all = await PollUntil(task, 6);

        await task.StartAsync(new Dictionary<string, FileOffset> { [all[2].SourcePartition] = all[2].SourceOffset }, CancellationToken.None);
        var rest = await PollUntil(task, 3);

        Assert.That(rest.Select(r => r.Value.text), Is.EqualTo(entries.Skip(3)));
    }

    [Test]
    public async Task Rotation_loses_and_repeats_nothing()
    {
        var before = LaravelLogDirectory.NumberedEntries(5, "old");
        var late = LaravelLogDirectory.NumberedEntries(3, "late");
        var after = LaravelLogDirectory.NumberedEntries(4, "new");
        LaravelLogDirectory.Append(_dir.LogFile, before);
        await using var task = await StartedTask(TimeSpan.FromMilliseconds(150));
        var records = new List<SourceRecord<LaravelRaw, FileOffset>>(await task.PollAsync(100, CancellationToken.None));
        var oldIdentity = FileIdentity.Of(_dir.LogFile)!.Value;

        var rotated = Path.Combine(_dir.Path, "laravel-2026-11-25.log");
        File.Move(_dir.LogFile, rotated);
        LaravelLogDirectory.Append(rotated, late);
        LaravelLogDirectory.Append(_dir.LogFile, after);
        records.AddRange(await PollUntil(task, before.Count + late.Count + after.Count - records.Count));

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EquivalentTo(before.Concat(late).Concat(after)));
            Assert.That(records.Where(r => r.Value.file_identity == oldIdentity.ToString()).Select(r => r.Value.text), Is.EqualTo(before.Concat(late)));
            Assert.That(records.Where(r => r.Value.file_path == _dir.LogFile && r.Value.file_identity != oldIdentity.ToString()).Select(r => r.Value.text), Is.EqualTo(after));
            Assert.That(FileIdentity.Of(rotated), Is.EqualTo(oldIdentity));
        });
    }

    [Test]
    public async Task Truncation_restarts_at_zero()
    {
        LaravelLogDirectory.Append(_dir.LogFile, LaravelLogDirectory.NumberedEntries(6));
        await using var task = await StartedTask(TimeSpan.FromMilliseconds(100));
        await PollUntil(task, 6);

        var replacement = LaravelLogDirectory.NumberedEntries(1, "fresh");
        using (var stream = new FileStream(_dir.LogFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
        }

        LaravelLogDirectory.Append(_dir.LogFile, replacement);
        var records = await PollUntil(task, 1);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EqualTo(replacement));
            Assert.That(records[0].Value.byte_offset, Is.Zero);
        });
    }

    [TestCase("relative/laravel*.log", "laravel.path")]
    [TestCase("/var/log/*/laravel.log", "laravel.path")]
    public void A_bad_path_fails_naming_the_key(string glob, string key)
    {
        var ex = Assert.Throws<Streams.Runtime.StreamsConfigException>(() => new LaravelSourceOptions { PathGlob = glob }.Validate());
        Assert.That(ex!.Key, Is.EqualTo(key));
    }

    [Test]
    public void Bad_timeouts_and_chunk_sizes_fail_naming_the_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new LaravelSourceOptions { PathGlob = "/l/*.log", IdleFlushTimeout = TimeSpan.Zero }.Validate(),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("laravel.idle.flush.ms"));
            Assert.That(() => new LaravelSourceOptions { PathGlob = "/l/*.log", ReadChunkSize = 10 }.Validate(),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("laravel.read.chunk.bytes"));
        });
    }

    [TestCase("[2026-11-25 10:00:00] local.INFO: x", true)]
    [TestCase("[2026-11-25T10:00:00.123456+00:00] local.INFO: x", true)]
    [TestCase("[stacktrace]", false)]
    [TestCase("#0 {main}", false)]
    [TestCase("[2026-11-25] no time", false)]
    public void An_entry_starts_with_a_bracketed_timestamp(string line, bool start) =>
        Assert.That(LaravelEntryStart.IsEntryStart(line), Is.EqualTo(start));

    private async Task<LaravelSourceTask> StartedTask(TimeSpan idle)
    {
        var task = new LaravelSourceTask(new LaravelSourceOptions { PathGlob = _dir.Glob, IdleFlushTimeout = idle, ReadChunkSize = 512 });
        await task.StartAsync(new Dictionary<string, FileOffset>(), CancellationToken.None);
        return task;
    }

    private static async Task<List<SourceRecord<LaravelRaw, FileOffset>>> PollUntil(LaravelSourceTask task, int count)
    {
        var records = new List<SourceRecord<LaravelRaw, FileOffset>>();
        await Eventually.Until(async () => { records.AddRange(await task.PollAsync(100, CancellationToken.None)); return records.Count; }, n => n >= count, Wait, $"{count} records");
        return records;
    }
}
