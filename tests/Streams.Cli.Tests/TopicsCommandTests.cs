using Streams.Runtime.Embedded;

namespace Streams.Cli.Tests;

[TestFixture]
public sealed class TopicsCommandTests
{
    [Test]
    public async Task Validate_accepts_the_repository_topics_yaml_with_a_summary()
    {
        var run = await CliRun.RunAsync("topics", "validate", "--file", RepoFiles.TopicsYaml);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output.Trim(), Is.EqualTo("topics.yaml: 18 topics valid (7 compacted, 78 partitions in all)."));
        Assert.That(run.Error, Is.Empty);
    }

    [Test]
    public async Task Validate_fails_with_one_file_line_message_per_problem()
    {
        var yaml = File.ReadAllText(RepoFiles.TopicsYaml)
            .Replace("  - name: dlq.sink\n", "  - name: DLQ.sink\n", StringComparison.Ordinal)
            + "  - name: raw.mysql\n    retention: 1\n";
        var path = RepoFiles.WriteTemp(yaml);
        var lines = yaml.Split('\n');
        var duplicateLine = Array.LastIndexOf(lines, "  - name: raw.mysql") + 1;
        var badNameLine = Array.IndexOf(lines, "  - name: DLQ.sink") + 1;
        var firstLine = Array.IndexOf(lines, "  - name: raw.mysql") + 1;
        var name = Path.GetFileName(path);

        var run = await CliRun.RunAsync("topics", "validate", "--file", path);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Is.Empty);
        Assert.That(run.ErrorLines, Is.EqualTo(new[]
        {
            $"{name}:{duplicateLine + 1}: unknown key 'retention' in a topic entry (expected one of: name, partitions, replication_factor, configs)",
            $"{name}:{badNameLine}: topic name 'DLQ.sink' may only use lower-case letters, digits, '.', '_' and '-'",
            $"{name}:{duplicateLine}: topic 'raw.mysql' is declared twice (first on line {firstLine})",
            $"{name}:{duplicateLine}: topic 'dlq.sink' is used by the code but not declared",
        }));
    }

    [Test]
    public async Task Validate_reports_a_missing_file()
    {
        var run = await CliRun.RunAsync("topics", "validate", "--file", "/nonexistent/topics.yaml");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error.Trim(), Is.EqualTo("/nonexistent/topics.yaml: no such file"));
    }

    [Test]
    public async Task Plan_needs_exactly_one_cluster()
    {
        var neither = await CliRun.RunAsync("topics", "plan", "--file", RepoFiles.TopicsYaml);
        var both = await CliRun.RunAsync("topics", "plan", "--file", RepoFiles.TopicsYaml, "--embedded", "--bootstrap-servers", "localhost:9092");

        Assert.That(neither.ExitCode, Is.EqualTo(1));
        Assert.That(neither.Error, Does.Contain("give exactly one of --bootstrap-servers or --embedded"));
        Assert.That(both.ExitCode, Is.EqualTo(1));
        Assert.That(both.Error, Does.Contain("give exactly one of --bootstrap-servers or --embedded"));
    }

    [Test]
    public async Task Plan_on_a_fresh_embedded_cluster_lists_every_creation_and_says_configs_are_not_applied()
    {
        var run = await CliRun.RunAsync("topics", "plan", "--embedded", "--file", RepoFiles.TopicsYaml);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.OutputLines[0], Does.StartWith("Plan for 18 topics in topics.yaml against the embedded cluster at "));
        Assert.That(run.OutputLines, Has.Exactly(18).StartsWith("+ create "));
        Assert.That(run.OutputLines, Does.Contain("+ create raw.mysql (6 partitions, rf 3)"));
        Assert.That(run.OutputLines, Does.Contain("+ create streams-curation-offsets (1 partition, rf 3)"));
        Assert.That(run.OutputLines, Has.One.StartsWith("note: the embedded cluster").And.Contains("neither applied nor compared"));
        Assert.That(run.OutputLines[^1], Is.EqualTo("18 to change, 0 refused."));
    }

    [Test]
    public async Task Apply_on_the_embedded_cluster_creates_everything_and_the_plan_after_is_empty_but_for_configs()
    {
        var run = await CliRun.RunAsync("topics", "apply", "--embedded", "--file", RepoFiles.TopicsYaml);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var after = run.OutputLines.SkipWhile(l => !l.StartsWith("Applied ", StringComparison.Ordinal)).ToList();
        Assert.That(after[0], Is.EqualTo("Applied 18 change(s). Plan after applying:"));
        Assert.That(after, Has.None.StartsWith("+ ").And.None.StartsWith("~ ").And.None.StartsWith("! "));
        Assert.That(after, Has.One.StartsWith("? configs not compared for 18 existing topic(s)"));
        Assert.That(after[^1], Is.EqualTo("No changes found, but not everything could be compared (see above)."));
    }

    [Test]
    public async Task Apply_on_an_invalid_file_fails_before_touching_any_cluster()
    {
        var path = RepoFiles.WriteTemp("topics:\n  - name: raw.mysql\n");

        var run = await CliRun.RunAsync("topics", "apply", "--embedded", "--file", path);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Is.Empty);
        Assert.That(run.ErrorLines, Has.Some.EndsWith("topic 'curated.mysql' is used by the code but not declared"));
    }

    [Test]
    public async Task Plan_against_brokers_without_an_admin_api_fails_with_an_error_line_instead_of_hanging()
    {
        // librdkafka's mock brokers answer metadata but have no controller, so DescribeConfigs of the existing topic times out.
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        cluster.CreateTopic("raw.mysql", partitions: 6);

        var run = await CliRun.RunAsync(
            "topics", "plan", "--file", RepoFiles.TopicsYaml, "--bootstrap-servers", cluster.BootstrapServers, "--request-timeout-ms", "2000");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { $"error: Failed while waiting for controller: Local: Timed out (cluster: {cluster.BootstrapServers})" }));
    }
}
