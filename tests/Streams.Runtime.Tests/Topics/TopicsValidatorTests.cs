using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

[TestFixture]
public sealed class TopicsValidatorTests
{
    private static List<string> Errors(string yaml, params string[] required) =>
        TopicsValidator.Validate(TopicsFile.Parse(yaml), required).Select(e => e.ToString()).ToList();

    [TestCase("topics:\n  - name: raw.a\n    configs: {retention.ms: 1\n  - name: raw.b\n", "topics.yaml:4: malformed YAML")]
    [TestCase("topics:\n  - name: raw.a\n   partitions: 3\n", "topics.yaml:3: While parsing a block collection")]
    [TestCase("topics:\n  - name: \"raw.a\n", "topics.yaml:2: While scanning a quoted scalar")]
    public void Bad_yaml_is_reported_at_its_line(string yaml, string expected)
    {
        var errors = Errors(yaml);

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith(expected));
    }

    [Test]
    public void An_unknown_key_is_reported_at_its_line()
    {
        var errors = Errors("topics:\n  - name: raw.a\n    partitons: 3\n");

        Assert.That(errors, Is.EqualTo(new[] { "topics.yaml:3: unknown key 'partitons' in a topic entry (expected one of: name, partitions, replication_factor, configs)" }));
    }

    [Test]
    public void A_changelog_without_compaction_is_reported_at_its_line()
    {
        var errors = Errors("topics:\n  - name: raw.a\n  - name: app-store-changelog\n    configs:\n      cleanup.policy: delete\n");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("topics.yaml:3: topic 'app-store-changelog' must have 'compact' in cleanup.policy"));
    }

    [TestCase("_streams.connect.offsets")]
    [TestCase("streams-curation-offsets")]
    [TestCase("streams-curation-dedup-elb-changelog")]
    public void Offsets_and_changelogs_default_to_delete_and_so_must_declare_compaction(string name)
    {
        Assert.That(Errors($"topics:\n  - name: {name}\n"), Has.One.Contains("must have 'compact' in cleanup.policy"));
        Assert.That(Errors($"topics:\n  - name: {name}\n    configs:\n      cleanup.policy: compact,delete\n"), Is.Empty);
    }

    [TestCase("Raw.Mysql", "lower-case letters")]
    [TestCase("raw.my sql", "lower-case letters")]
    [TestCase("logs.mysql", "follows none of")]
    [TestCase("raw.", "follows none of")]
    public void A_name_off_the_convention_is_reported_at_its_line(string name, string problem)
    {
        var errors = Errors($"topics:\n  - name: raw.ok\n  - name: \"{name}\"\n");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("topics.yaml:3: ").And.Contain(problem));
    }

    [Test]
    public void A_name_longer_than_kafka_allows_is_reported()
    {
        var name = "raw." + new string('a', 246);

        Assert.That(Errors($"topics:\n  - name: {name}\n"), Has.One.Contains("must be 1 to 249 characters"));
        Assert.That(Errors($"topics:\n  - name: {name[..249]}\n"), Is.Empty);
    }

    [Test]
    public void A_duplicate_is_reported_at_the_second_declaration_naming_the_first()
    {
        var errors = Errors("topics:\n  - name: raw.a\n  - name: raw.b\n  - name: raw.a\n");

        Assert.That(errors, Is.EqualTo(new[] { "topics.yaml:4: topic 'raw.a' is declared twice (first on line 2)" }));
    }

    [Test]
    public void A_required_topic_that_is_not_declared_is_reported()
    {
        var errors = Errors("topics:\n  - name: raw.a\n  - name: raw.b\n", "raw.a", "dlq.sink");

        Assert.That(errors, Is.EqualTo(new[] { "topics.yaml:3: topic 'dlq.sink' is used by the code but not declared" }));
    }

    [Test]
    public void Zero_partitions_and_a_non_number_are_reported_at_their_lines()
    {
        var errors = Errors("settings:\n  replication_factor: three\ntopics:\n  - name: raw.a\n    partitions: 0\n");

        Assert.That(errors, Is.EqualTo(new[]
        {
            "topics.yaml:2: 'replication_factor' must be a whole number",
            "topics.yaml:4: topic 'raw.a' needs at least 1 partition, not 0",
        }));
    }

    [Test]
    public void A_file_without_topics_says_so()
    {
        Assert.That(Errors("settings:\n  partitions: 3\n"), Is.EqualTo(new[] { "topics.yaml:1: 'topics' is missing" }));
    }

    [Test]
    public void An_entry_with_an_empty_name_is_reported_once()
    {
        Assert.That(Errors("topics:\n  - name: raw.a\n  - name:\n    partitions: 2\n"), Is.EqualTo(new[] { "topics.yaml:3: 'name' must be a plain value" }));
    }

    [Test]
    public void A_key_given_twice_in_one_entry_is_reported_at_its_line()
    {
        var errors = Errors("topics:\n  - name: raw.a\n    partitions: 1\n    partitions: 2\n");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("topics.yaml:4: "));
    }
}
