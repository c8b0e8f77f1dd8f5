using Streams.Runtime.Processor;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class RebalanceTests
{
    [TestCase("range")]
    [TestCase("cooperative-sticky")]
    public async Task Stopping_one_of_two_instances_moves_its_tasks_which_restore_and_go_on_exactly_once(string strategy)
    {
        var random = new Random(7);
        var first = Enumerable.Range(0, 4_000).Select(_ => ("k" + random.Next(40), (long)random.Next(1, 100))).ToList();
        var second = Enumerable.Range(0, 4_000).Select(_ => ("k" + random.Next(40), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 4, outputPartitions: 2);
        h.CreateChangelog(4);

        var a = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(strategy: strategy), new TestLog());
        var b = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(strategy: strategy), new TestLog());
        try
        {
            a.Start();
            b.Start();
            await EosHarness.WaitUntil(
                () => a.ActiveTasks.Count > 0 && b.ActiveTasks.Count > 0 && a.ActiveTasks.Count + b.ActiveTasks.Count == 4,
                TimeSpan.FromSeconds(90),
                "both instances own tasks",
                () => $"a [{string.Join(",", a.ActiveTasks)}] b [{string.Join(",", b.ActiveTasks)}]");
            h.Produce(first);
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(4), TimeSpan.FromSeconds(90), "the first half is committed");
            var movedTasks = b.ActiveTasks.ToList();

            await b.CloseAsync();
            await EosHarness.WaitUntil(() => a.ActiveTasks.Count == 4 && a.IsReady, TimeSpan.FromSeconds(90), "A owns and has restored every task",
                () => $"a [{string.Join(",", a.ActiveTasks)}] state {a.State}");
            Assert.That(a.Metrics.RestoredRecords.Total, Is.GreaterThan(0), $"A restored B's stores ({string.Join(",", movedTasks)}) from the changelog");

            h.Produce(second);
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(4), TimeSpan.FromSeconds(90), "the second half is committed");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        var all = first.Concat(second).ToList();
        var output = h.ReadOutput(all.Count, TimeSpan.FromSeconds(30));
        Assert.That(output, Has.Count.EqualTo(all.Count));
        // Per key, inputs keep their order (a key lives in one partition), which is all running sums need.
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(all)));
    }
}
