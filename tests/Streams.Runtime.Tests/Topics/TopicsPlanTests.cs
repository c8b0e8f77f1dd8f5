using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

[TestFixture]
public sealed class TopicsPlanTests
{
    private static readonly Dictionary<string, string> Retention7Days = new() { ["retention.ms"] = "604800000" };

    private static TopicSpec Spec(string name, int partitions = 6, int rf = 3, Dictionary<string, string>? configs = null) =>
        new(name, partitions, rf, configs ?? Retention7Days, 1);

    private static ClusterTopic Existing(string name, int partitions = 6, int rf = 3, Dictionary<string, string>? configs = null) =>
        new(name, partitions, rf, configs ?? Retention7Days);

    private static List<string> Lines(TopicsPlan plan) =>
        [.. plan.Changes.Select(c => c.ToString()), .. plan.Refused.Select(r => r.ToString())];

    [Test]
    public void A_topic_missing_from_the_cluster_is_created()
    {
        var plan = TopicsPlan.Create([Spec("raw.mysql")], [], allowDestructive: false);

        Assert.That(Lines(plan), Is.EqualTo(new[] { "+ create raw.mysql (6 partitions, rf 3)" }));
    }

    [Test]
    public void A_topic_that_matches_its_declaration_needs_nothing()
    {
        var plan = TopicsPlan.Create([Spec("raw.mysql")], [Existing("raw.mysql")], allowDestructive: false);

        Assert.That(plan.IsEmpty, Is.True);
        Assert.That(plan.Notes, Is.Empty);
    }

    [Test]
    public void More_declared_partitions_are_added()
    {
        var plan = TopicsPlan.Create([Spec("curated.elb")], [Existing("curated.elb", partitions: 3)], allowDestructive: false);

        Assert.That(Lines(plan), Is.EqualTo(new[] { "~ partitions curated.elb 3 → 6" }));
    }

    [Test]
    public void A_differing_or_missing_config_is_set_and_undeclared_cluster_configs_are_left_alone()
    {
        var cluster = Existing("curated.elb", configs: new() { ["retention.ms"] = "86400000", ["segment.ms"] = "3600000" });
        var declared = Spec("curated.elb", configs: new() { ["retention.ms"] = "604800000", ["compression.type"] = "zstd" });

        var plan = TopicsPlan.Create([declared], [cluster], allowDestructive: false);

        Assert.That(Lines(plan), Is.EqualTo(new[]
        {
            "~ config curated.elb compression.type (unset) → zstd",
            "~ config curated.elb retention.ms 86400000 → 604800000",
        }));
    }

    [Test]
    public void Configs_a_cluster_cannot_report_are_noted_rather_than_taken_as_equal()
    {
        var plan = TopicsPlan.Create([Spec("raw.mysql")], [new ClusterTopic("raw.mysql", 6, 3, null)], allowDestructive: false);

        Assert.That(plan.IsEmpty, Is.True);
        Assert.That(plan.Notes, Has.One.StartsWith("? configs not compared for 1 existing topic(s)").And.Contains("raw.mysql"));
    }

    [Test]
    public void An_undeclared_managed_topic_is_not_deleted_without_allow_destructive()
    {
        var cluster = new[] { Existing("raw.mysql"), Existing("raw.oracle"), Existing("someone-elses-topic") };

        var plan = TopicsPlan.Create([Spec("raw.mysql")], cluster, allowDestructive: false);

        Assert.That(plan.Changes, Is.Empty);
        Assert.That(plan.Refused.Select(r => r.ToString()), Is.EqualTo(new[]
        {
            "! refused: delete raw.oracle (not declared): it is in the cluster under a managed prefix but not declared, "
            + "and deleting it loses its data (--allow-destructive permits it)",
        }));
    }

    [Test]
    public void An_undeclared_managed_topic_is_deleted_with_allow_destructive_and_unmanaged_ones_never()
    {
        var cluster = new[] { Existing("raw.mysql"), Existing("raw.oracle"), Existing("someone-elses-topic") };

        var plan = TopicsPlan.Create([Spec("raw.mysql")], cluster, allowDestructive: true);

        Assert.That(plan.Refused, Is.Empty);
        Assert.That(Lines(plan), Is.EqualTo(new[] { "- delete raw.oracle (its data is lost)" }));
    }

    [Test]
    public void Fewer_partitions_are_refused_because_kafka_cannot_shrink_a_topic()
    {
        var plan = TopicsPlan.Create([Spec("curated.elb", partitions: 3)], [Existing("curated.elb")], allowDestructive: false);

        Assert.That(plan.Changes, Is.Empty);
        Assert.That(plan.Refused, Has.Count.EqualTo(1));
        Assert.That(plan.Refused[0].ToString(), Is.EqualTo(
            "! refused: decrease partitions of curated.elb (partitions 6 → 3): decreasing partitions is impossible in Kafka "
            + "without recreating the topic and losing its data (--allow-destructive permits it)"));
    }

    [Test]
    public void Fewer_partitions_recreate_the_topic_with_allow_destructive()
    {
        var plan = TopicsPlan.Create([Spec("curated.elb", partitions: 3)], [Existing("curated.elb")], allowDestructive: true);

        Assert.That(plan.Refused, Is.Empty);
        Assert.That(Lines(plan), Is.EqualTo(new[] { "-/+ recreate curated.elb (partitions 6 → 3; its data is lost)" }));
    }

    [Test]
    public void A_lower_replication_factor_is_refused_without_allow_destructive_and_recreates_with_it()
    {
        var refused = TopicsPlan.Create([Spec("raw.elb", rf: 1)], [Existing("raw.elb")], allowDestructive: false);
        var allowed = TopicsPlan.Create([Spec("raw.elb", rf: 1)], [Existing("raw.elb")], allowDestructive: true);

        Assert.That(refused.Changes, Is.Empty);
        Assert.That(refused.Refused.Single().ToString(), Does.StartWith("! refused: lower the replication factor of raw.elb (rf 3 → 1): "));
        Assert.That(Lines(allowed), Is.EqualTo(new[] { "-/+ recreate raw.elb (rf 3 → 1; its data is lost)" }));
    }

    [Test]
    public void A_refused_partition_decrease_still_plans_config_changes_for_the_topic()
    {
        var plan = TopicsPlan.Create(
            [Spec("curated.elb", partitions: 3)],
            [Existing("curated.elb", configs: new() { ["retention.ms"] = "1" })],
            allowDestructive: false);

        Assert.That(plan.Refused, Has.Count.EqualTo(1));
        Assert.That(Lines(plan)[0], Is.EqualTo("~ config curated.elb retention.ms 1 → 604800000"));
    }

    [Test]
    public void Changes_are_ordered_deletions_then_creations_then_partitions_then_configs()
    {
        var plan = TopicsPlan.Create(
            [Spec("raw.a", partitions: 8), Spec("raw.b"), Spec("raw.c", configs: new() { ["retention.ms"] = "5" })],
            [Existing("raw.a"), Existing("raw.c"), Existing("raw.gone")],
            allowDestructive: true);

        Assert.That(plan.Changes.Select(c => c.GetType()), Is.EqualTo(new[]
        {
            typeof(DeleteTopic), typeof(CreateTopic), typeof(IncreasePartitions), typeof(AlterConfig),
        }));
    }

    [Test]
    public void A_cleanup_policy_listed_in_another_order_is_the_same_setting()
    {
        var declared = Spec("app-store-changelog", configs: new() { ["cleanup.policy"] = "compact,delete" });

        var same = TopicsPlan.Create([declared], [Existing("app-store-changelog", configs: new() { ["cleanup.policy"] = "delete, compact" })], false);
        var different = TopicsPlan.Create([declared], [Existing("app-store-changelog", configs: new() { ["cleanup.policy"] = "delete" })], false);

        Assert.That(same.IsEmpty, Is.True);
        Assert.That(Lines(different), Is.EqualTo(new[] { "~ config app-store-changelog cleanup.policy delete → compact,delete" }));
    }
}
