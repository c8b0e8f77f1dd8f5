using System.Text;
using System.Text.Json.Nodes;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class NdjsonFileTargetTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("ndjson-target-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Each_document_is_written_as_an_action_line_and_a_document_line()
    {
        await using (var target = new NdjsonFileTarget(_directory))
        {
            await target.AddAsync(TestTargets.Doc("a", """{"message":"one"}"""), CancellationToken.None);
            await target.AddAsync(TestTargets.Doc("b", "{\"message\":\n\"two\"}"), CancellationToken.None);
            await TestTargets.ResultsAsync(target, 2);
        }

        var lines = File.ReadAllText(Path.Combine(_directory, "curated-nginx-2026.11.26.ndjson"));
        Assert.That(lines, Is.EqualTo(
            """{"create":{"_index":"curated-nginx-2026.11.26","_id":"a"}}""" + "\n" + """{"message":"one"}""" + "\n" +
            """{"create":{"_index":"curated-nginx-2026.11.26","_id":"b"}}""" + "\n" + """{"message": "two"}""" + "\n"));
    }

    [Test]
    public async Task A_repeated_id_is_not_written_again_even_after_a_restart()
    {
        await using (var first = new NdjsonFileTarget(_directory))
        {
            await first.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
            await first.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
            var results = await TestTargets.ResultsAsync(first, 2);
            Assert.That(results.Select(r => r.Outcome), Is.EqualTo(new[] { IndexOutcome.Created, IndexOutcome.AlreadyExisted }));
        }

        await using (var second = new NdjsonFileTarget(_directory))
        {
            await second.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
            await second.AddAsync(TestTargets.Doc("b"), CancellationToken.None);
            var results = await TestTargets.ResultsAsync(second, 2);
            Assert.That(results.Select(r => r.Outcome), Is.EqualTo(new[] { IndexOutcome.AlreadyExisted, IndexOutcome.Created }));
        }

        var ids = File.ReadAllLines(Path.Combine(_directory, "curated-nginx-2026.11.26.ndjson"))
            .Where((_, i) => i % 2 == 0)
            .Select(line => JsonNode.Parse(line)!["create"]!["_id"]!.GetValue<string>());
        Assert.That(ids, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Half_a_pair_left_by_a_crash_is_cut_off_on_start()
    {
        var path = Path.Combine(_directory, "curated-nginx-2026.11.26.ndjson");
        await File.WriteAllTextAsync(path, """{"create":{"_index":"curated-nginx-2026.11.26","_id":"a"}}""" + "\n{}\n" + """{"create":{"_index":"curated-nginx-2026.11.26","_id":"b"}}""" + "\n{\"mess");

        await using (var target = new NdjsonFileTarget(_directory))
        {
            await target.AddAsync(TestTargets.Doc("b"), CancellationToken.None);
            Assert.That((await TestTargets.ResultsAsync(target, 1))[0].Outcome, Is.EqualTo(IndexOutcome.Created));
        }

        Assert.That(File.ReadAllLines(path), Has.Length.EqualTo(4));
    }

    [Test]
    public async Task A_document_is_reported_only_once_its_bytes_are_in_the_file_in_the_order_added()
    {
        // More than one write's worth (FlushBytes) over two indices, then a few that wait for the delay.
        var body = "{\"message\":\"" + new string('x', 1000) + "\"}";
        var count = (NdjsonFileTarget.FlushBytes / 1000) + 50;
        await using var target = new NdjsonFileTarget(_directory);
        for (var i = 0; i < count; i++)
        {
            await target.AddAsync(TestTargets.Doc("d" + i, body, index: i % 2 == 0 ? "curated-elb-2026.11.26" : "curated-elb-2026.11.27"), CancellationToken.None);
        }

        // FileShare.Read lets the files be read while the target has them open.
        string Read(string day)
        {
            using var stream = new FileStream(target.PathOf("curated-elb-" + day), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }

        // The first result: its document (and those written with it) are already in the file.
        var first = (await TestTargets.ResultsAsync(target, 1))[0];
        Assert.That(Read("2026.11.26"), Does.StartWith("""{"create":{"_index":"curated-elb-2026.11.26","_id":"d0"}}""" + "\n" + body + "\n"));

        var results = new[] { first }.Concat(await TestTargets.ResultsAsync(target, count - 1)).ToList();
        Assert.That(results.Select(r => r.Request.Id), Is.EqualTo(Enumerable.Range(0, count).Select(i => "d" + i)));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(IndexOutcome.Created));

        var lines = (Read("2026.11.26") + Read("2026.11.27")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2 * count));
        Assert.That(lines.Where((_, i) => i % 2 == 0).Select(l => JsonNode.Parse(l)!["create"]!["_id"]!.GetValue<string>()).Order(), Is.EquivalentTo(results.Select(r => r.Request.Id)));
    }

    [Test]
    public async Task An_index_name_that_is_no_safe_file_name_is_dead_lettered()
    {
        await using var target = new NdjsonFileTarget(_directory);
        await target.AddAsync(new IndexRequest("../escape", "a", Encoding.UTF8.GetBytes("{}")), CancellationToken.None);

        var result = (await TestTargets.ResultsAsync(target, 1))[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(IndexOutcome.DeadLettered));
            Assert.That(result.ErrorType, Is.EqualTo("invalid_index_name_exception"));
            Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(_directory)!, "escape.ndjson")), Is.False);
        });
    }
}
