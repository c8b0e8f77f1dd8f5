using System.Text.Json;
using Streams.Cli.Demo;

namespace Streams.Cli.Tests;

/// <summary>
/// streams demo end to end over the repository's samples/: every sample event indexed once, every deliberate
/// duplicate dropped, every malformed entry dead-lettered, as counted by samples/expected.json (written by the
/// generator, independently of the pipeline); and a second run reports the same.
/// </summary>
[TestFixture]
public sealed class DemoTests
{
    private string _out = null!;

    [SetUp]
    public void CreateOutput() => _out = Directory.CreateTempSubdirectory("streams-demo-test-").FullName;

    [TearDown]
    public void DeleteOutput() => Directory.Delete(_out, recursive: true);

    [Test]
    public async Task The_demo_indexes_each_sample_event_once_drops_each_duplicate_and_dead_letters_each_malformed_entry()
    {
        var expected = Expected();
        var options = new DemoOptions { SamplesDirectory = RepoFiles.Samples, OutputDirectory = _out, TopicsFile = RepoFiles.TopicsYaml, Timeout = TimeSpan.FromMinutes(3) };

        var first = await DemoPipeline.RunAsync(options, null, CancellationToken.None);

        foreach (var source in first.Sources)
        {
            var (events, duplicates, malformed) = expected[source.Source];
            Assert.That((source.Read, source.Curated, source.Duplicates, source.DeadLettered), Is.EqualTo((events + duplicates + malformed, events, duplicates, malformed)), source.Source);
            Assert.That(source.TopReasons, Is.Not.Empty, source.Source);
        }

        var documents = Directory.GetFiles(_out, "curated-*.ndjson").SelectMany(IndexedIds).ToList();
        Assert.That(documents, Has.Count.EqualTo(expected.Values.Sum(e => e.Events)));
        Assert.That(documents.Select(d => d.Id).Distinct().Count(), Is.EqualTo(documents.Count), "a document id indexed twice");
        Assert.That(first.DocumentsPerIndex.Keys, Is.SupersetOf(new[] { "curated-elb-2026.11.21", "curated-elb-2026.11.22", "curated-laravel-2026.11.21", "curated-laravel-2026.11.22" }));
        Assert.That(first.DocumentsPerIndex.Values.Sum(), Is.EqualTo(documents.Count));
        Assert.That(first.Sources.Single(s => s.Source == "elb").GeoHitRate, Is.GreaterThan(0.5), "the demo GeoIP database knows most sample clients");

        var second = await DemoPipeline.RunAsync(options, null, CancellationToken.None);

        Assert.That(second.Sources.Select(Counts), Is.EqualTo(first.Sources.Select(Counts)));
        Assert.That(second.DocumentsPerIndex, Is.EqualTo(first.DocumentsPerIndex));
    }

    [Test]
    public async Task The_command_refuses_a_samples_directory_that_does_not_exist()
    {
        var run = await CliRun.RunAsync("demo", "--samples", Path.Combine(_out, "missing"), "--out", _out);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain("give --samples and --topics"));
    }

    private static (long, long, long, long) Counts(SourceSummary s) => (s.Read, s.Curated, s.Duplicates, s.DeadLettered);

    /// <summary>samples/expected.json per source; the two MySQL logs share raw.mysql.</summary>
    private static Dictionary<string, (long Events, long Duplicates, long Malformed)> Expected()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoFiles.Samples, "expected.json")));
        var result = new Dictionary<string, (long, long, long)>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            var source = entry.Name.Split('.')[0];
            var (e, d, m) = result.GetValueOrDefault(source);
            result[source] = (e + entry.Value.GetProperty("events").GetInt64(), d + entry.Value.GetProperty("duplicates").GetInt64(), m + entry.Value.GetProperty("malformed").GetInt64());
        }

        return result;
    }

    /// <summary>The create actions of a bulk body: one per document.</summary>
    private static IEnumerable<(string Index, string Id)> IndexedIds(string file)
    {
        foreach (var line in File.ReadLines(file).Where((_, i) => i % 2 == 0))
        {
            using var action = JsonDocument.Parse(line);
            var create = action.RootElement.GetProperty("create");
            yield return (create.GetProperty("_index").GetString()!, create.GetProperty("_id").GetString()!);
        }
    }
}
