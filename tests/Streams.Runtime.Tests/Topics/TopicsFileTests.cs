using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

[TestFixture]
public sealed class TopicsFileTests
{
    private static readonly string[] Sources = ["mysql", "mongodb", "laravel", "elb"];

    /// <summary>What the pipeline reads and writes, built the way the code builds the names.</summary>
    private static IEnumerable<string> PipelineTopics() =>
        Sources.SelectMany(s => new[] { TopicNames.Raw(s), TopicNames.Curated(s), Topology.ChangelogTopic("streams-curation", "dedup-" + s) })
            .Concat([TopicNames.DeadLetter("connect"), TopicNames.DeadLetter("topology"), TopicNames.DeadLetter("sink"), TopicNames.ConnectOffsets, TopicNames.DlqReplayOffsets, Topology.PositionsTopic("streams-curation")]);

    [Test]
    public void The_repository_topics_yaml_declares_every_pipeline_topic_and_validates()
    {
        var file = TopicsFile.Load(RepoRoot.TopicsYaml);

        Assert.That(TopicsValidator.Validate(file, PipelineTopics()), Is.Empty);
        Assert.That(file.Topics.Select(t => t.Name), Is.EquivalentTo(PipelineTopics()));
    }

    [Test]
    public void Settings_supply_defaults_and_entries_override_them_key_by_key()
    {
        var file = TopicsFile.Load(RepoRoot.TopicsYaml);

        var raw = file.Find("raw.mysql")!;
        Assert.That(raw.Partitions, Is.EqualTo(6));
        Assert.That(raw.ReplicationFactor, Is.EqualTo(3));
        Assert.That(raw.Configs, Does.ContainKey("min.insync.replicas").WithValue("2"));
        Assert.That(raw.Configs, Does.ContainKey("compression.type").WithValue("zstd"));
        Assert.That(raw.Configs, Does.ContainKey("retention.ms").WithValue("604800000"));

        var positions = file.Find("streams-curation-offsets")!;
        Assert.That(positions.Partitions, Is.EqualTo(1));
        Assert.That(positions.IsCompacted, Is.True);
    }

    [Test]
    public void Changelogs_keep_entries_a_day_beyond_the_two_day_dedup_window()
    {
        var file = TopicsFile.Load(RepoRoot.TopicsYaml);

        foreach (var changelog in file.Topics.Where(t => t.Name.EndsWith("-changelog", StringComparison.Ordinal)))
        {
            Assert.That(changelog.CleanupPolicies, Is.EquivalentTo(new[] { "compact", "delete" }), changelog.Name);
            Assert.That(TimeSpan.FromMilliseconds(long.Parse(changelog.Configs["retention.ms"], System.Globalization.CultureInfo.InvariantCulture)),
                Is.EqualTo(TimeSpan.FromHours(72)), changelog.Name);
        }
    }

    [Test]
    public void Each_topic_remembers_the_line_it_is_declared_on()
    {
        var file = TopicsFile.Parse("settings:\n  partitions: 2\ntopics:\n  - name: raw.a\n  - name: raw.b\n    partitions: 4\n");

        Assert.That(file.ParseErrors, Is.Empty);
        Assert.That(file.Topics.Select(t => (t.Name, t.Line, t.Partitions)), Is.EqualTo(new[] { ("raw.a", 4, 2), ("raw.b", 5, 4) }));
    }
}
