using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Connectors.Laravel;
using Streams.Connectors.Tests.Files;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Laravel;

/// <summary>Laravel entries with stack traces of a megabyte, read from real files while the connector is killed.</summary>
[TestFixture]
public sealed partial class LaravelConnectorTests
{
    private const int MaxEntryBytes = FileTailOptions.DefaultMaxEntryBytes;
    private LaravelLogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LaravelLogDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task A_one_megabyte_stack_trace_written_in_pieces_is_one_entry_that_keeps_its_head_and_counts_the_rest()
    {
        var huge = Entry(0, frames: 9000);
        var next = Entry(1, frames: 2);
        Assert.That(Encoding.UTF8.GetByteCount(huge), Is.GreaterThan(1024 * 1024), "the stack trace is over a megabyte");
        var task = new LaravelSourceTask(new LaravelSourceOptions { PathGlob = _dir.Glob, IdleFlushTimeout = TimeSpan.FromMinutes(1), ReadChunkSize = 4096 });
        await using var _ = task;
        await task.StartAsync(new Dictionary<string, FileOffset>(), CancellationToken.None);

        // Written in 64 KiB pieces, most ending mid-line, with the task polled between them.
        var bytes = Encoding.UTF8.GetBytes(huge + "\n" + next + "\n");
        var records = new List<SourceRecord<LaravelRaw, FileOffset>>();
        await using (var stream = new FileStream(_dir.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var at = 0; at < bytes.Length; at += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(64 * 1024, bytes.Length - at)));
                await stream.FlushAsync();
                records.AddRange(await task.PollAsync(100, CancellationToken.None));
            }
        }

        Assert.That(records, Has.Count.EqualTo(1), "the huge entry ends when the next one starts; the next waits for more lines");
        var hugeBytes = Encoding.UTF8.GetByteCount(huge + "\n");
        Assert.Multiple(() =>
        {
            AssertKeptHead(records[0].Value.text, huge);
            Assert.That(records[0].Value.byte_offset, Is.Zero);
            Assert.That(records[0].SourceOffset.ByteOffset, Is.EqualTo(hugeBytes), "the offset moves past every byte of the entry, kept or not");
        });

        // Restarted at that offset, the next entry is read whole (and the huge one not again).
        var task2 = new LaravelSourceTask(new LaravelSourceOptions { PathGlob = _dir.Glob, IdleFlushTimeout = TimeSpan.FromMilliseconds(100), ReadChunkSize = 4096 });
        await using var __ = task2;
        await task2.StartAsync(new Dictionary<string, FileOffset> { [records[0].SourcePartition] = records[0].SourceOffset }, CancellationToken.None);
        var rest = new List<SourceRecord<LaravelRaw, FileOffset>>();
        await Eventually.Until(async () => { rest.AddRange(await task2.PollAsync(100, CancellationToken.None)); return rest.Count; }, n => n >= 1, TimeSpan.FromSeconds(10), "the next entry");
        Assert.Multiple(() =>
        {
            Assert.That(rest.Select(r => r.Value.text), Is.EqualTo(new[] { next }));
            Assert.That(rest[0].Value.byte_offset, Is.EqualTo(hugeBytes));
        });
    }

    [Test]
    public async Task Killed_at_random_points_while_laravel_writes_entries_and_megabyte_stack_traces_each_is_on_the_topic_once()
    {
        // At most five megabyte entries (half a megabyte each once cut): the embedded broker keeps about 5 MB a partition.
        await using var cluster = ConnectorCluster.Start();
        var options = cluster.Options(batchSize: 10);
        var seed = Environment.TickCount;

        var outcome = await KillAndResume.Run(
            () => new SourceConnectorRunner<LaravelRaw, FileOffset>(options, new LaravelSourceTask(new LaravelSourceOptions { PathGlob = _dir.Glob, IdleFlushTimeout = TimeSpan.FromMilliseconds(150) })),
            _dir.LogFile,
            i => Entry(i, frames: i % 40 == 4 && i < 200 ? 9000 : i % 3),
            kills: 6,
            seed);

        var raw = cluster.ReadRaw().Select(r => r.Value.text).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.CommittedPerKilledRun, Has.Count.EqualTo(6).And.All.GreaterThan(0), $"seed {seed}: six runs killed, each after committing part of the log");
            Assert.That(outcome.Written, Has.Some.Matches<string>(e => Encoding.UTF8.GetByteCount(e!) > 1024 * 1024), $"seed {seed}: megabyte stack traces were written");
            Assert.That(raw, Has.Count.EqualTo(outcome.Written.Count), $"seed {seed}: one record per entry written");
        });
        for (var i = 0; i < raw.Count; i++)
        {
            if (Encoding.UTF8.GetByteCount(outcome.Written[i]) <= MaxEntryBytes)
            {
                Assert.That(raw[i], Is.EqualTo(outcome.Written[i]), $"seed {seed}: entry {i} whole, once, in order");
            }
            else
            {
                AssertKeptHead(raw[i], outcome.Written[i]);
            }
        }
    }

    /// <summary>
    /// The record of an entry over max.entry.bytes: a head of the entry's own lines within the limit, then one line
    /// that counts the lines and bytes left out, which are exactly the rest of the entry.
    /// </summary>
    private static void AssertKeptHead(string record, string written)
    {
        var marker = Marker().Match(record);
        Assert.That(marker.Success, Is.True, "the record ends with the line that says what was left out");
        var head = record[..marker.Index];
        var rest = written[head.Length..];
        Assert.Multiple(() =>
        {
            Assert.That(written, Does.StartWith(head + "\n"), "the head is the entry's first lines, unchanged");
            Assert.That(Encoding.UTF8.GetByteCount(head), Is.LessThanOrEqualTo(MaxEntryBytes).And.GreaterThan(MaxEntryBytes - 200));
            Assert.That(int.Parse(marker.Groups["lines"].Value, CultureInfo.InvariantCulture), Is.EqualTo(rest.Count(c => c == '\n')));
            Assert.That(long.Parse(marker.Groups["bytes"].Value, CultureInfo.InvariantCulture), Is.EqualTo(Encoding.UTF8.GetByteCount(rest)));
        });
    }

    /// <summary>Entry i: an exception with <paramref name="frames"/> stack frames of about 120 bytes each (none: an info line).</summary>
    private static string Entry(int i, int frames)
    {
        var time = new DateTime(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc).AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (frames == 0)
        {
            return $"[{time}] production.INFO: request {i} handled {{\"status\":200}}";
        }

        var text = new StringBuilder($"[{time}] production.ERROR: job {i} failed {{\"exception\":\"[object] (RuntimeException(code: 0): job {i} failed at /var/www/app/Jobs/Sync.php:41)\"}}\n[stacktrace]");
        for (var f = 0; f < frames; f++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n#{f} /var/www/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php({f % 997}): Illuminate\\Pipeline\\Pipeline->handle()");
        }

        return text.Append("\n#").Append(frames).Append(" {main}").ToString();
    }

    [GeneratedRegex(@"\n\[(?<lines>\d+) more lines \((?<bytes>\d+) bytes\) left out: the entry is longer than max\.entry\.bytes \(\d+\)\]$")]
    private static partial Regex Marker();
}
