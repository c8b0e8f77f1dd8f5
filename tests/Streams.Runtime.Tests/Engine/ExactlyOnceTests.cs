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

    [Test]
    public async Task Simple_copy_with_a_store_writes_each_running_sum_once_in_order()
    {
        await using var h = new EosHarness(inputPartitions: 1, outputPartitions: 1);
        h.CreateChangelog(1);
        var input = Input(500, 5);
        h.Produce(input);

        await using (var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), h.Config()))
        {
            app.Start();
            await EosHarness.WaitUntil(() => app.Metrics.RecordsProcessed.Total >= input.Count, TimeSpan.FromSeconds(60), "all input is processed");
        }

        var output = h.ReadOutput(input.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(input)));
    }
}
