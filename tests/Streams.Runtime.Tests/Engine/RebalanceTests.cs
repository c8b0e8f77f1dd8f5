using Confluent.Kafka;
using Streams.Runtime.Embedded;
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

    /// <summary>
    /// An instance restoring its stores (fetches failing for a while) loses its tasks to a rebalance and gets them
    /// back: they restore in full (no checkpoint claims the changelog's end) and their partitions are fetched again
    /// (librdkafka keeps a partition paused through a rebalance).
    /// </summary>
    [Test]
    public async Task Tasks_revoked_while_restoring_restore_in_full_and_are_fetched_when_they_come_back()
    {
        var random = new Random(11);
        var first = Enumerable.Range(0, 4_000).Select(_ => ("k" + random.Next(40), (long)random.Next(1, 100))).ToList();
        var second = Enumerable.Range(0, 1_000).Select(_ => ("k" + random.Next(40), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 2);
        h.CreateChangelog(2);
        await using (var filler = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog()))
        {
            filler.Start();
            h.Produce(first);
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(90), "the first part is committed");
        }

        // A new instance with an empty state directory restores both tasks from the changelog; its input partitions are
        // paused meanwhile, so the failing fetches are the restore consumer's.
        h.Cluster.PushRequestErrors(KafkaApi.Fetch, [.. Enumerable.Repeat(ErrorCode.NotLeaderForPartition, 30)]);
        var a = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog());
        var b = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog());
        try
        {
            a.Start();
            await EosHarness.WaitUntil(() => a.RestoringTasks > 0, TimeSpan.FromSeconds(60), "A restores");
            b.Start();
            await EosHarness.WaitUntil(() => b.ActiveTasks.Count > 0, TimeSpan.FromSeconds(60), "B takes tasks over", () => $"a [{string.Join(",", a.ActiveTasks)}] restoring {a.RestoringTasks}");
            await b.CloseAsync();
            await EosHarness.WaitUntil(() => a.ActiveTasks.Count == 2 && a.IsReady, TimeSpan.FromSeconds(90), "A owns and has restored both tasks again",
                () => $"a [{string.Join(",", a.ActiveTasks)}] state {a.State}");

            h.Produce(second);
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(60), "the second part is committed (both partitions fetched)");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        var all = first.Concat(second).ToList();
        var output = h.ReadOutput(all.Count, TimeSpan.FromSeconds(30));
        Assert.That(output, Has.Count.EqualTo(all.Count));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(all)), "running sums go on from the whole restored state");
    }
}
