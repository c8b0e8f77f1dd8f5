using Confluent.Kafka;
using Streams.Runtime.Embedded;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class FaultInjectionTests
{
    [Test]
    public async Task A_broker_set_down_and_up_mid_run_loses_and_duplicates_nothing()
    {
        var random = new Random(11);
        var input = Enumerable.Range(0, 20_000).Select(_ => ("k" + random.Next(30), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 2);
        h.CreateChangelog(2);
        h.Produce(input.Take(10_000));

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => app.Metrics.RecordsProcessed.Total > 2_000, TimeSpan.FromSeconds(60), "processing started");
            h.Cluster.SetBrokerDown(2);
            // The second half is written while the broker is down; its producer waits for it to come back.
            var writing = Task.Run(() => h.Produce(input.Skip(10_000)));
            await Task.Delay(TimeSpan.FromSeconds(3));
            h.Cluster.SetBrokerUp(2);
            await writing;
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(120), "every input offset is committed",
                () => $"processed {app.Metrics.RecordsProcessed.Total}, state {app.State}");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(output, Has.Count.EqualTo(input.Count));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }

    [TestCase(KafkaApi.EndTxn, ErrorCode.ProducerFenced)]
    [TestCase(KafkaApi.AddOffsetsToTxn, ErrorCode.InvalidProducerEpoch)]
    public async Task A_fenced_producer_closes_tasks_dirty_and_recreates_the_producer_without_committing_twice(KafkaApi api, ErrorCode error)
    {
        var random = new Random(13);
        var input = Enumerable.Range(0, 6_000).Select(_ => ("k" + random.Next(20), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 1);
        h.CreateChangelog(2);
        h.Produce(input.Take(3_000));

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(60), "the first part is committed");
            h.Cluster.PushRequestErrors(api, error);
            h.Produce(input.Skip(3_000));
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(90), "everything is committed",
                () => $"migrations {app.Metrics.TaskMigrations.Total}, state {app.State}");
            Assert.That(app.Metrics.TaskMigrations.Total, Is.GreaterThanOrEqualTo(1), "the fenced producer made the thread close its tasks and rejoin");
            Assert.That(app.Failure, Is.Null, "fencing never kills the thread");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }

    [Test]
    public async Task A_thread_that_stalls_past_the_poll_interval_does_not_commit_its_stale_work()
    {
        var random = new Random(17);
        var input = Enumerable.Range(0, 2_000).Select(_ => ("k" + random.Next(10), (long)random.Next(1, 100))).ToList();
        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 1);
        h.CreateChangelog(2);
        h.Produce(input);
        var stalled = 0;

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(), new TestLog()))
        {
            app.BeforeProcess = r =>
            {
                // Once, in the middle of the input: longer than max.poll.interval.ms (6 s here).
                if (r.Offset.Value == 300 && Interlocked.Exchange(ref stalled, 1) == 0)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(8));
                }
            };
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromSeconds(120), "everything is committed",
                () => $"migrations {app.Metrics.TaskMigrations.Total}, state {app.State}");
            Assert.That(app.Metrics.TaskMigrations.Total, Is.GreaterThanOrEqualTo(1), "the stalled thread gave its tasks up");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }
}
