using Streams.Runtime.Internals;
using Streams.Runtime.Processor;
using Streams.Runtime.State;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    [Test]
    public async Task Hundred_thousand_records_through_a_store_survive_repeated_crashes_exactly_once()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("EOS_COUNT") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);
        const int seed = 20261126;
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var input = Enumerable.Range(0, count).Select(_ => ("k" + random.Next(50), (long)random.Next(1, 1000))).ToList();
        var crashPoints = new SortedSet<long>();
        while (crashPoints.Count < 6)
        {
            crashPoints.Add(random.Next(count / 50, count * 95 / 100));
        }

        await using var h = new EosHarness(inputPartitions: 2, outputPartitions: 2);
        h.CreateChangelog(2);
        h.Produce(input);

        var calls = 0L;
        var crashes = 0;
        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config(sessionTimeoutMs: 3000), new TestLog()))
        {
            app.BeforeProcess = _ =>
            {
                if (crashPoints.Contains(++calls))
                {
                    crashes++;
                    TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} crash at call {calls}");
                    throw new SimulatedCrashException();
                }
            };
            app.Start();
            await EosHarness.WaitUntil(() => h.InputFullyCommitted(2), TimeSpan.FromMinutes(4), "every input offset is committed",
                () => $"processed {app.Metrics.RecordsProcessed.Total}, commits {app.Metrics.Commits.Total}, state {app.State}, tasks {string.Join(",", app.ActiveTasks)}");
            Assert.That(crashes, Is.EqualTo(crashPoints.Count), "every planned crash happened");

            foreach (var partition in new[] { 0, 1 })
            {
                var store = (IKeyValueStore<string, long>)app.FindTask(new TaskId(0, partition))!.Store(SumTopology.Store);
                foreach (var (key, sum) in store.All())
                {
                    Assert.That(sum, Is.EqualTo(SumTopology.Expected(input)[key]), $"local store, key {key}");
                }
            }
        }

        var output = h.ReadOutput(count, TimeSpan.FromSeconds(60));
        Assert.That(output, Has.Count.EqualTo(count), "each input record yields exactly one committed output");
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)), "running sums per key, in order");
        Assert.That(h.ChangelogState(), Is.EqualTo(SumTopology.Expected(input)), "changelog holds the failure-free state");
    }
}
