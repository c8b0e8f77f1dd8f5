using Streams.Connectors.Files;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Tests.Files;

[TestFixture]
public sealed class FileTailerTests
{
    private LogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LogDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void Skipped_lines_end_an_entry_and_belong_to_none()
    {
        LogDirectory.Append(_dir.File("a.log"), "BANNER\n> one\n  more\nBANNER\n  orphan\n> two\n\n\n");
        using var tailer = Tailer(new MarkerFraming(trims: true));

        var entries = PollAll(tailer);

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Text), Is.EqualTo(new[] { "> one\n  more", "  orphan", "> two" }), "blank padding is trimmed from the text");
            Assert.That(entries[0].StartOffset, Is.EqualTo("BANNER\n".Length));
            Assert.That(entries[0].EndOffset, Is.EqualTo("BANNER\n> one\n  more\n".Length));
            Assert.That(entries[^1].EndOffset, Is.EqualTo(new FileInfo(_dir.File("a.log")).Length), "the padding's bytes are the entry's");
        });
    }

    [Test]
    public void One_line_entries_do_not_wait_for_the_idle_timeout()
    {
        LogDirectory.Append(_dir.File("a.log"), "first\n\nsecond\n");
        using var tailer = new FileTailer(new FileTailOptions { PathGlob = _dir.File("*.log"), IdleFlushTimeout = TimeSpan.FromMinutes(5) }, new OneLineFraming());

        var entries = tailer.Poll(10, DateTime.UtcNow, CancellationToken.None);

        Assert.That(entries.Select(e => e.Text), Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public void A_partial_last_line_waits_for_its_line_break_even_past_the_idle_timeout()
    {
        var file = _dir.File("a.log");
        LogDirectory.Append(file, "whole\nhalf a li");
        using var tailer = new FileTailer(new FileTailOptions { PathGlob = _dir.File("*.log"), IdleFlushTimeout = TimeSpan.FromMilliseconds(1) }, new OneLineFraming());
        var now = DateTime.UtcNow;

        var first = tailer.Poll(10, now, CancellationToken.None).Concat(tailer.Poll(10, now.AddSeconds(5), CancellationToken.None)).ToList();
        LogDirectory.Append(file, "ne\n");
        var second = tailer.Poll(10, now.AddSeconds(6), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(e => e.Text), Is.EqualTo(new[] { "whole" }));
            Assert.That(second.Select(e => e.Text), Is.EqualTo(new[] { "half a line" }));
            Assert.That(second[0].StartOffset, Is.EqualTo("whole\n".Length));
        });
    }

    [Test]
    public void An_entry_past_max_entry_bytes_keeps_its_first_lines_and_counts_the_rest_and_a_single_long_line_stays_whole()
    {
        static string Frames(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"\n  frame {i:000}"));
        var longLine = "> " + new string('x', 3000);
        LogDirectory.Append(_dir.File("a.log"), "> one" + Frames(40) + "\n" + longLine + "\n  after\n> three" + Frames(100) + "\n");
        using var tailer = new FileTailer(new FileTailOptions { PathGlob = _dir.File("*.log"), IdleFlushTimeout = TimeSpan.FromMilliseconds(1), MaxEntryBytes = 1024 }, new MarkerFraming(trims: false));

        var entries = PollAll(tailer);

        // A frame line is 12 bytes with its line break: "> three" (7 bytes) and 84 frames make 1015, an 85th would make 1027.
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Count.EqualTo(3));
            Assert.That(entries[0].Text, Is.EqualTo("> one" + Frames(40)), "under the limit nothing is left out");
            Assert.That(entries[1].Text, Is.EqualTo(longLine + "\n[1 more lines (8 bytes) left out: the entry is longer than max.entry.bytes (1024)]"), "a single line is never cut");
            Assert.That(entries[2].Text, Is.EqualTo("> three" + Frames(84) + "\n[16 more lines (192 bytes) left out: the entry is longer than max.entry.bytes (1024)]"));
            Assert.That(entries[1].EndOffset, Is.EqualTo(entries[2].StartOffset), "the left-out line's bytes are the entry's");
            Assert.That(entries[2].EndOffset, Is.EqualTo(new FileInfo(_dir.File("a.log")).Length));
        });
    }

    [Test]
    public void A_five_megabyte_line_is_read_whole_and_its_buffer_is_given_back()
    {
        var huge = new string('x', 5 * 1024 * 1024);
        LogDirectory.Append(_dir.File("a.log"), "before\n" + huge + "\nafter\n");
        using var tailer = new FileTailer(new FileTailOptions { PathGlob = _dir.File("*.log"), ReadChunkSize = 64 * 1024 }, new OneLineFraming());

        var entries = tailer.Poll(10, DateTime.UtcNow, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Text.Length), Is.EqualTo(new[] { "before".Length, huge.Length, "after".Length }));
            Assert.That(tailer.BufferBytes, Is.LessThanOrEqualTo(64 * 1024), "the line's buffer is not kept once the line is read");
        });
    }

    [Test]
    public void A_restart_resumes_each_file_at_its_byte_offset()
    {
        LogDirectory.Append(_dir.File("a.log"), "a1\na2\na3\n");
        LogDirectory.Append(_dir.File("b.log"), "b1\nb2\n");
        using var tailer = new FileTailer(new FileTailOptions { PathGlob = _dir.File("*.log") }, new OneLineFraming());
        var all = tailer.Poll(10, DateTime.UtcNow, CancellationToken.None);

        tailer.Restart(new Dictionary<string, long> { [all[0].Identity.ToString()] = all[1].EndOffset });
        var again = tailer.Poll(10, DateTime.UtcNow, CancellationToken.None);

        Assert.That(again.Select(e => e.Text), Is.EqualTo(new[] { "a3", "b1", "b2" }));
    }

    [Test]
    public void An_offset_stored_before_the_tailer_was_shared_still_parses()
    {
        var stored = """{"fileIdentity":"2049:1234","path":"/var/log/app/laravel.log","byteOffset":4096}"""u8.ToArray();

        var offset = SourceOffsetStore<FileOffset>.Parse(stored);

        Assert.Multiple(() =>
        {
            Assert.That(offset, Is.EqualTo(new FileOffset("2049:1234", "/var/log/app/laravel.log", 4096)));
            Assert.That(SourceOffsetStore<FileOffset>.Value(offset), Is.EqualTo(stored));
        });
    }

    [TestCase("relative/*.log", "src.path")]
    [TestCase("/var/*/x.log", "src.path")]
    public void A_bad_glob_fails_naming_the_key(string glob, string key) =>
        Assert.That(() => new FileTailOptions { PathGlob = glob }.Validate("src.", "/var/log/src.log"), Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo(key));

    [Test]
    public void Bad_settings_fail_naming_the_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new FileTailOptions { PathGlob = "/l/*.log", IdleFlushTimeout = TimeSpan.Zero }.Validate("src.", "/var/log/src.log"),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("src.idle.flush.ms"));
            Assert.That(() => new FileTailOptions { PathGlob = "/l/*.log", ReadChunkSize = 1 }.Validate("src.", "/var/log/src.log"),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("src.read.chunk.bytes"));
            Assert.That(() => new FileTailOptions { PathGlob = "/l/*.log", MaxEntryBytes = 100 }.Validate("src.", "/var/log/src.log"),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("src.max.entry.bytes"));
            Assert.That(() => new FileTailOptions { PathGlob = "/l/*.log", Host = " " }.Validate("src.", "/var/log/src.log"),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("src.host"));
            Assert.That(() => new FileTailOptions { PathGlob = "x" }.Validate("src.", "/var/log/src.log", "path.glob"),
                Throws.TypeOf<Streams.Runtime.StreamsConfigException>().With.Property("Key").EqualTo("src.path.glob"));
        });
    }

    private FileTailer Tailer(IEntryFraming framing) =>
        new(new FileTailOptions { PathGlob = _dir.File("*.log"), IdleFlushTimeout = TimeSpan.FromMilliseconds(1) }, framing);

    private static List<FileEntry> PollAll(FileTailer tailer)
    {
        var now = DateTime.UtcNow;
        return [.. tailer.Poll(100, now, CancellationToken.None), .. tailer.Poll(100, now.AddSeconds(1), CancellationToken.None)];
    }

    /// <summary>"&gt;" opens an entry, "BANNER" belongs to none, anything else continues.</summary>
    private sealed class MarkerFraming(bool trims) : IEntryFraming
    {
        public bool OneLinePerEntry => false;

        public bool TrimsTrailingBlankLines => trims;

        public LineRole Classify(string line, string? previousLine) =>
            line == "BANNER" ? LineRole.Skipped : line.StartsWith('>') ? LineRole.Opens : LineRole.Continues;
    }

    private sealed class OneLineFraming : IEntryFraming
    {
        public bool OneLinePerEntry => true;

        public bool TrimsTrailingBlankLines => false;

        public LineRole Classify(string line, string? previousLine) => line.Length == 0 ? LineRole.Skipped : LineRole.Opens;
    }
}
