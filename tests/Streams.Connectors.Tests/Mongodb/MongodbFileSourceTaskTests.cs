using Streams.Connectors.Files;
using Streams.Connectors.Mongodb;
using Streams.Connectors.Tests.Files;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Topology.Curation;

namespace Streams.Connectors.Tests.Mongodb;

[TestFixture]
public sealed class MongodbFileSourceTaskTests
{
    private LogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LogDirectory("mongod-");

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private string LogFile => _dir.File("mongod.log");

    [TestCase("mongodb-4.4-json.log")]
    [TestCase("mongodb-3.2-legacy.log")]
    public async Task Every_line_of_a_real_mongod_log_becomes_a_record_the_topology_curates(string corpus)
    {
        var text = LogDirectory.Corpus(corpus);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        LogDirectory.Append(LogFile, text);
        await using var task = await Started();

        var records = await TaskPolling.Until(task, lines.Length);

        var curation = new MongodbCuration();
        var identity = FileIdentity.Of(LogFile)!.Value.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EqualTo(lines));
            Assert.That(records.Select(r => r.Value.kind).Distinct(), Is.EqualTo(new[] { MongodbRawKind.FILE_LINE }));
            Assert.That(records.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { "db-1:" + LogFile }));
            Assert.That(records.Select(r => r.Value.origin).Distinct(), Is.EqualTo(new[] { "db-1:" + LogFile }));
            Assert.That(records.Select(r => r.SourcePartition).Distinct(), Is.EqualTo(new[] { identity }));
            Assert.That(records[^1].SourceOffset.ByteOffset, Is.EqualTo(new FileInfo(LogFile).Length));
            Assert.That(records[0].Value.offset, Is.EqualTo($$"""{"fileIdentity":"{{identity}}","path":"{{LogFile}}","byteOffset":{{System.Text.Encoding.UTF8.GetByteCount(lines[0]) + 1}}}"""));
            Assert.That(records.Select(r => curation.Curate(r.Value).Failure), Is.All.Null);
        });
    }

    [Test]
    public async Task A_line_is_sent_once_its_line_break_is_written()
    {
        var lines = LogDirectory.Corpus("mongodb-4.4-json.log").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        LogDirectory.Append(LogFile, lines[0] + "\n" + lines[1][..40]);
        await using var task = await Started();

        var before = await TaskPolling.For(task, TimeSpan.FromMilliseconds(300));
        LogDirectory.Append(LogFile, lines[1][40..] + "\n");
        var after = await TaskPolling.Until(task, 1);

        Assert.Multiple(() =>
        {
            Assert.That(before.Select(r => r.Value.text), Is.EqualTo(lines.Take(1)), "the idle timeout passed, yet half a line is no entry");
            Assert.That(after.Select(r => r.Value.text), Is.EqualTo(new[] { lines[1] }));
        });
    }

    [Test]
    public async Task Rotation_by_rename_reads_the_old_file_to_its_end_and_the_new_one_from_zero()
    {
        LogDirectory.Append(LogFile, Lines("old", 0, 5));
        await using var task = await Started();
        var records = await TaskPolling.Until(task, 5);
        var oldIdentity = FileIdentity.Of(LogFile)!.Value.ToString();

        // mongod's logRotate (rename): the old file gets a dated name, a new file takes the old name.
        var rotated = _dir.File("mongod.log.2026-11-26T10-00-00");
        File.Move(LogFile, rotated);
        LogDirectory.Append(rotated, Lines("late", 0, 2));
        LogDirectory.Append(LogFile, Lines("new", 0, 3));
        records.AddRange(await TaskPolling.Until(task, 5));

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EquivalentTo(LineList("old", 0, 5).Concat(LineList("late", 0, 2)).Concat(LineList("new", 0, 3))));
            Assert.That(records.Where(r => r.SourcePartition == oldIdentity).Select(r => r.Value.text), Is.EqualTo(LineList("old", 0, 5).Concat(LineList("late", 0, 2))));
            Assert.That(records.Where(r => r.SourcePartition != oldIdentity).Select(r => r.Value.origin).Distinct(), Is.EqualTo(new[] { "db-1:" + LogFile }));
        });
    }

    [Test]
    public async Task Truncation_reads_the_file_again_from_zero()
    {
        LogDirectory.Append(LogFile, Lines("before", 0, 4));
        await using var task = await Started();
        await TaskPolling.Until(task, 4);

        // logRotate with --logRotate reopen and copytruncate: the same file, emptied.
        LogDirectory.Truncate(LogFile);
        LogDirectory.Append(LogFile, Lines("after", 0, 2));
        var records = await TaskPolling.Until(task, 2);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EqualTo(LineList("after", 0, 2)));
            Assert.That(records[^1].SourceOffset.ByteOffset, Is.EqualTo(new FileInfo(LogFile).Length));
        });
    }

    [Test]
    public async Task A_restart_resumes_after_the_committed_line()
    {
        LogDirectory.Append(LogFile, Lines("l", 0, 6));
        await using var task = await Started();
        var all = await TaskPolling.Until(task, 6);

        await task.StartAsync(new Dictionary<string, FileOffset> { [all[3].SourcePartition] = all[3].SourceOffset }, CancellationToken.None);
        var rest = await TaskPolling.Until(task, 2);

        Assert.That(rest.Select(r => r.Value.text), Is.EqualTo(all.Skip(4).Select(r => r.Value.text)));
    }

    [TestCase("mongod.log", "mongodb.file.path")]
    [TestCase("/var/log/*/mongod.log", "mongodb.file.path")]
    public void A_bad_path_fails_naming_the_key(string glob, string key) =>
        Assert.That(() => new MongodbFileOptions { PathGlob = glob }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo(key));

    [Test]
    public void A_bad_chunk_size_fails_naming_the_key() =>
        Assert.That(() => new MongodbFileOptions { PathGlob = "/var/log/mongodb/mongod.log", ReadChunkSize = 0 }.Validate(),
            Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mongodb.file.read.chunk.bytes"));

    /// <summary>JSON log lines of mongod 4.4+, numbered.</summary>
    internal static string[] LineList(string tag, int from, int count) => Lines(tag, from, count).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    internal static string Lines(string tag, int from, int count) => string.Concat(Enumerable.Range(from, count).Select(i =>
        "{\"t\":{\"$date\":\"2026-11-26T10:" + $"{i / 60 % 60:00}:{i % 60:00}" + ".000+00:00\"},\"s\":\"I\",  \"c\":\"NETWORK\",  \"id\":22943,   \"ctx\":\"listener\","
        + $"\"msg\":\"Connection accepted\",\"attr\":{{\"tag\":\"{tag}{i}\",\"remote\":\"10.0.0.{i % 250}:5{i % 1000:000}\"}}}}\n"));

    private async Task<MongodbFileSourceTask> Started()
    {
        var task = new MongodbFileSourceTask(new MongodbFileOptions { PathGlob = _dir.File("mongod.log*"), IdleFlushTimeout = TimeSpan.FromMilliseconds(100), ReadChunkSize = 512, Host = "db-1" });
        await task.StartAsync(new Dictionary<string, FileOffset>(), CancellationToken.None);
        return task;
    }
}
