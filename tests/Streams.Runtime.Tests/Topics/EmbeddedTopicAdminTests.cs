using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

[TestFixture]
public sealed class EmbeddedTopicAdminTests
{
    [Test]
    public async Task Applying_the_repository_topics_creates_every_topic_with_its_partitions_and_a_second_plan_is_empty()
    {
        var declared = TopicsFile.Load(RepoRoot.TopicsYaml).Topics;
        await using var cluster = EmbeddedKafkaCluster.Start();
        using (var admin = new EmbeddedTopicAdmin(cluster))
        {
            var before = TopicsPlan.Create(declared, await admin.DescribeTopicsAsync(), allowDestructive: false);
            Assert.That(before.Changes, Has.Count.EqualTo(declared.Count).And.All.InstanceOf<CreateTopic>());

            await TopicsApplier.ApplyAsync(admin, before);

            var after = TopicsPlan.Create(declared, await admin.DescribeTopicsAsync(), allowDestructive: false);
            Assert.That(after.IsEmpty, Is.True, string.Join("\n", after.Changes.Concat<object>(after.Refused)));
            // The mock reports no configs: the plan must say it did not compare them, for every topic.
            Assert.That(after.Notes, Has.One.StartsWith($"? configs not compared for {declared.Count} existing topic(s)"));
            Assert.That(admin.ConfigLimitation, Does.Contain("neither applied nor compared"));
        }

        // Checked with an independent client's metadata, not the admin under test.
        using var client = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = client.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t);
        foreach (var spec in declared)
        {
            Assert.That(metadata, Does.ContainKey(spec.Name));
            Assert.That(metadata[spec.Name].Partitions, Has.Count.EqualTo(spec.Partitions), spec.Name);
            Assert.That(metadata[spec.Name].Partitions.Select(p => p.Replicas.Length), Is.All.EqualTo(spec.ReplicationFactor), spec.Name);
        }
    }

    [Test]
    public async Task Changes_the_mock_cannot_make_fail_loudly_instead_of_being_skipped()
    {
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        using var admin = new EmbeddedTopicAdmin(cluster);
        await admin.CreateTopicsAsync([new TopicSpec("raw.a", 1, 1, new Dictionary<string, string>(), 1)]);

        var plan = TopicsPlan.Create(
            [new TopicSpec("raw.a", 2, 1, new Dictionary<string, string>(), 1)], await admin.DescribeTopicsAsync(), allowDestructive: false);

        Assert.That(plan.Changes.Single().ToString(), Is.EqualTo("~ partitions raw.a 1 → 2"));
        var failure = await Assert.ThrowsAsync<NotSupportedException>(() => TopicsApplier.ApplyAsync(admin, plan));
        Assert.That(failure!.Message, Does.Contain("cannot add partitions to 'raw.a'"));
    }

    [Test]
    public async Task A_plan_with_refused_changes_is_not_applied_at_all()
    {
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        using var admin = new EmbeddedTopicAdmin(cluster);
        await admin.CreateTopicsAsync([new TopicSpec("raw.a", 4, 1, new Dictionary<string, string>(), 1)]);
        var plan = TopicsPlan.Create(
            [new TopicSpec("raw.a", 2, 1, new Dictionary<string, string>(), 1), new TopicSpec("raw.b", 1, 1, new Dictionary<string, string>(), 2)],
            await admin.DescribeTopicsAsync(),
            allowDestructive: false);

        await Assert.ThrowsAsync<InvalidOperationException>(() => TopicsApplier.ApplyAsync(admin, plan));

        Assert.That((await admin.DescribeTopicsAsync()).Select(t => t.Name), Is.EqualTo(new[] { "raw.a" }));
    }
}
