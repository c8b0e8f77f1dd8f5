using Streams.Runtime.Processor;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class GuaranteeAndThreadsTests
{
    [Test]
    public async Task At_least_once_with_two_stream_threads_processes_every_record_and_commits_group_offsets()
    {
        var random = new Random(23);
        var input = Enumerable.Range(0, 3_000).Select(_ => ("k" + random.Next(30), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 4, outputPartitions: 2);
        h.CreateChangelog(4);
        h.Produce(input);

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(guarantee: ProcessingGuarantee.AtLeastOnce, threads: 2), new TestLog()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.GroupOffsetsAtEnd(4), TimeSpan.FromSeconds(60), "at-least-once commits the group's offsets to the end");
            Assert.That(app.ActiveTasks.OrderBy(t => t.Partition), Is.EqualTo(Enumerable.Range(0, 4).Select(p => new TaskId(0, p))), "four tasks over two threads");
        }

        // At least once: every input record has its output; a rebalance between the threads may repeat some.
        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(output, Has.Count.GreaterThanOrEqualTo(input.Count));
        var perKey = EosHarness.PerKey(output);
        foreach (var (key, sums) in EosHarness.ExpectedRunningSums(input))
        {
            Assert.That(perKey[key], Has.Count.GreaterThanOrEqualTo(sums.Count), key);
        }
    }

    [Test]
    public async Task Exactly_once_with_two_stream_threads_writes_each_running_sum_once()
    {
        var random = new Random(23);
        var input = Enumerable.Range(0, 3_000).Select(_ => ("k" + random.Next(30), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 4, outputPartitions: 2);
        h.CreateChangelog(4);
        h.Produce(input);

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(threads: 2), new TestLog()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(4), TimeSpan.FromSeconds(60), "every input position is committed");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }
}
