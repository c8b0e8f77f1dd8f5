using Streams.Runtime.Internals;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
public sealed class GroupStateTests
{
    [Test]
    public void The_group_line_names_the_state_the_join_the_assignment_and_the_last_rebalance()
    {
        // The shape librdkafka's statistics give a consumer (STATISTICS.md, cgrp), cut to what is read.
        const string json = """
            {"name":"rdkafka#consumer-1","type":"consumer","brokers":{},"topics":{},
             "cgrp":{"state":"up","stateage":1200,"join_state":"wait-sync","rebalance_age":2500,"rebalance_cnt":3,
                     "rebalance_reason":"group is rebalancing","assignment_size":6}}
            """;

        Assert.That(GroupState.Describe(json), Is.EqualTo("group up/wait-sync, 6 assigned, 3 rebalances, the last 2.5s ago (group is rebalancing)"));
    }

    [TestCase("""{"name":"rdkafka#producer-1","type":"producer"}""")]
    [TestCase("not json")]
    public void Statistics_without_a_group_give_no_line(string json) => Assert.That(GroupState.Describe(json), Is.Null);

    /// <summary>The statistics come every five seconds by default; the description is refreshed once a second.</summary>
    [Test]
    public async Task A_running_thread_describes_its_group_from_the_consumer_statistics()
    {
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 1);
        h.CreateChangelog(2);
        await using var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog());
        app.Start();

        await EosHarness.WaitUntil(() => app.Describe().Contains("group up/steady, 2 assigned", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the description shows the group", app.Describe);
    }
}
