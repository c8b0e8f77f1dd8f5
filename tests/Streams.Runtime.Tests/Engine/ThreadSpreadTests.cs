using Streams.Runtime.Processor;

namespace Streams.Runtime.Tests.Engine;

/// <summary>
/// Every stream thread of an application gets tasks and processes records, whether the threads share an instance or
/// not, under the default cooperative-sticky assignment. On the embedded cluster a member joining a group that already
/// has one waits two join phases of the session timeout less one second each (MockClusterBehaviourTests): about 88 s
/// with the default 45 s. So either the session timeout is short, or the cluster waits for members to join an empty
/// group as a broker does (group.initial.rebalance.delay.ms, 3 s by default) and threads started together share the
/// first generation. The tests give that delay 10 s: each thread first sets up its transactional producer, and on a
/// loaded machine one of two threads started together has missed a 3 s window, and once a 6 s one; what still goes
/// wrong there costs one more join phase (see OwnsTaskWithin).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreadSpreadTests
{
    private const int Partitions = 6;

    [TestCase(5000, 0)]
    [TestCase(45_000, 10_000)]
    public async Task Both_stream_threads_of_one_instance_get_tasks_and_process_records(int sessionTimeoutMs, int initialRebalanceDelayMs)
    {
        await using var h = new EosHarness(inputPartitions: Partitions, outputPartitions: 2, initialRebalanceDelayMs);
        h.CreateChangelog(Partitions);
        var app = new KafkaStreams(SumTopology.Build(h.Input, h.Output), Config(h, 2, sessionTimeoutMs), new TestLog());
        await SpreadsAndFlows(h, [app], OwnsTaskWithin(sessionTimeoutMs, initialRebalanceDelayMs));
    }

    [TestCase(5000, 0)]
    [TestCase(45_000, 10_000)]
    public async Task Two_single_thread_instances_started_together_both_get_tasks_and_process_records(int sessionTimeoutMs, int initialRebalanceDelayMs)
    {
        await using var h = new EosHarness(inputPartitions: Partitions, outputPartitions: 2, initialRebalanceDelayMs);
        h.CreateChangelog(Partitions);
        var a = new KafkaStreams(SumTopology.Build(h.Input, h.Output), Config(h, 1, sessionTimeoutMs), new TestLog());
        var b = new KafkaStreams(SumTopology.Build(h.Input, h.Output), Config(h, 1, sessionTimeoutMs), new TestLog());
        await SpreadsAndFlows(h, [a, b], OwnsTaskWithin(sessionTimeoutMs, initialRebalanceDelayMs));
    }

    /// <summary>
    /// How long every thread may take to own a task. Threads that share the first generation (an initial rebalance
    /// delay) own tasks within 10 s after that delay; on a loaded machine one of them has missed the delay or the first
    /// generation's sync (each once in a clean-clone run of the suite), and the mock coordinator then holds every member
    /// in one more join phase of the session timeout less one second. Otherwise a thread that joins second waits for
    /// the coordinator's join phases: two for cooperative-sticky, one more when a rejoin misses a phase on a loaded
    /// machine, and one more when a metadata change (the topics the threads create) starts another rebalance in
    /// between. The CI machine once took 16 s with a 5 s session timeout, against the 15 s bound this had then.
    /// </summary>
    private static TimeSpan OwnsTaskWithin(int sessionTimeoutMs, int initialRebalanceDelayMs) =>
        initialRebalanceDelayMs > 0
            ? TimeSpan.FromMilliseconds(initialRebalanceDelayMs + (sessionTimeoutMs - 1000)) + TimeSpan.FromSeconds(10)
            : TimeSpan.FromMilliseconds(4 * (sessionTimeoutMs - 1000)) + TimeSpan.FromSeconds(10);

    private static StreamsConfig Config(EosHarness h, int threads, int sessionTimeoutMs) =>
        h.Config(threads: threads, strategy: "cooperative-sticky", sessionTimeoutMs: sessionTimeoutMs);

    /// <summary>
    /// Starts the applications while records flow in; every thread must own a task within the given time and then process
    /// records of its own; once the input is processed and the applications closed, the output holds each running
    /// sum once.
    /// </summary>
    private static async Task SpreadsAndFlows(EosHarness h, IReadOnlyList<KafkaStreams> apps, TimeSpan ownsTaskWithin)
    {
        var produced = new List<(string Key, long Value)>();
        using var stop = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            var random = new Random(5);
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(0, 20).Select(_ => ("k" + random.Next(60), (long)random.Next(1, 100))).ToList();
                h.Produce(batch);
                lock (produced)
                {
                    produced.AddRange(batch);
                }

                await Task.Delay(200);
            }
        });

        string Threads() => string.Join(" | ", apps.SelectMany(a => a.ActiveTasksPerThread).Select(t => "[" + string.Join(",", t.OrderBy(x => x.Partition)) + "]"));
        string Progress() => Threads() + Environment.NewLine + string.Join(Environment.NewLine, apps.Select(a => a.Describe()));
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            foreach (var app in apps)
            {
                app.Start();
            }

            await EosHarness.WaitUntil(
                () => apps.SelectMany(a => a.ActiveTasksPerThread).All(t => t.Count > 0),
                ownsTaskWithin,
                "every stream thread owns a task",
                Progress);
            TestContext.Progress.WriteLine($"every thread owns tasks after {started.Elapsed.TotalSeconds:0.0} s: {Threads()}");

            var before = ProcessedPerThread(apps);
            await EosHarness.WaitUntil(
                () => ProcessedPerThread(apps).Zip(before).All(p => p.First > p.Second),
                TimeSpan.FromSeconds(15),
                "every stream thread processes records",
                () => $"processed per thread {string.Join(" | ", ProcessedPerThread(apps))}, before {string.Join(" | ", before)}; {Progress()}");

            await stop.CancelAsync();
            await feeder;
            // Not InputFullyCommitted: its reader joins a group of its own, which the initial rebalance delay holds past
            // its one-second read. What is processed here is committed by the close below; the output check proves it.
            await EosHarness.WaitUntil(() => apps.Sum(a => a.Metrics.RecordsProcessed.Total) >= produced.Count, TimeSpan.FromSeconds(60), "every input record is processed", Progress);
            Assert.That(apps.SelectMany(a => a.ActiveTasks).OrderBy(t => t.Partition), Is.EqualTo(Enumerable.Range(0, Partitions).Select(p => new TaskId(0, p))), "each task on exactly one thread");
        }
        finally
        {
            await stop.CancelAsync();
            await feeder;
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }

        var output = h.ReadOutput(produced.Count, TimeSpan.FromSeconds(30));
        Assert.That(EosHarness.PerKey(output), Is.EqualTo(EosHarness.ExpectedRunningSums(produced)), "each running sum once, in order, across the task moves");
    }

    /// <summary>Records processed so far by the tasks each thread owns now, in thread order over the applications.</summary>
    private static List<long> ProcessedPerThread(IReadOnlyList<KafkaStreams> apps) =>
        apps.SelectMany(a => a.ActiveTasksPerThread.Select(tasks => tasks.Sum(t => a.Metrics.RecordsProcessed[t.ToString()]))).ToList();
}
