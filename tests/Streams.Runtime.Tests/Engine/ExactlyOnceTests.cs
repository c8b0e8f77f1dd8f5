using Streams.Runtime.Internals;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class ExactlyOnceTests
{
    private static List<(string Key, long Value)> Input(int count, int keys, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => ("k" + random.Next(keys), (long)random.Next(1, 100))).ToList();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Simple_copy_with_a_store_writes_each_running_sum_once_in_order(bool overlapCommit)
    {
        await using var h = new EosHarness(inputPartitions: 1, outputPartitions: 1);
        h.CreateChangelog(1);
        var input = Input(500, 5);
        h.Produce(input);

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(overlapCommit: overlapCommit)))
        {
            app.Start();
            await EosHarness.WaitUntil(() => app.Metrics.RecordsProcessed.Total >= input.Count, TimeSpan.FromSeconds(60), "all input is processed");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Output_is_held_until_the_commit_or_sent_into_the_open_transaction_and_either_way_committed_once(bool holdOutput)
    {
        await using var h = new EosHarness(inputPartitions: 1, outputPartitions: 1);
        h.CreateChangelog(1);
        var input = Input(300, 5, seed: 7);
        h.Produce(input);

        // A commit interval far longer than the test: until the close, the output is in one open transaction.
        var config = h.Config(commitInterval: TimeSpan.FromMinutes(5), holdOutput: holdOutput);
        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), config))
        {
            app.Start();
            await EosHarness.WaitUntil(() => app.Metrics.RecordsProcessed.Total >= input.Count, TimeSpan.FromSeconds(60), "all input is processed");
            var uncommitted = KafkaTestClient.ReadUncommitted(h.Cluster.BootstrapServers, h.Output, input.Count, TimeSpan.FromSeconds(holdOutput ? 3 : 15), TimeSpan.FromMilliseconds(200));
            Assert.That(uncommitted, Has.Count.EqualTo(holdOutput ? 0 : input.Count), holdOutput
                ? "held output is written only at the commit"
                : "every record is in the open transaction before any commit");
        }

        // The close commits that one transaction: each running sum once, in order.
        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }
}
