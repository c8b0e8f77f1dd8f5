using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using NUnit.Framework;
using Streams.Connectors.Hosting;
using Streams.Connectors.Tests.Mysql;
using Streams.Runtime;
using Streams.Runtime.Topics;

namespace Streams.EndToEnd;

/// <summary>
/// From a line in a log file, a load balancer log object or a row of MariaDB's general log to one document in an
/// index, while connectors, topology instances and the sink are killed and restarted, a second topology instance joins
/// and leaves, a broker goes down, requests fail and Elasticsearch refuses. Twelve seeds run by default (1..12);
/// <c>STREAMS_SOAK_SEEDS=N</c> runs seeds 1..N and <c>STREAMS_TEST_SEED=S</c> replays one. Each MongoDB file holds a
/// 5 MB line, which its connector dead-letters to dlq.connect (too large for a Kafka record) while it goes on
/// (<c>STREAMS_E2E_5MB_LINE=0</c> leaves it out), and one load balancer object has a damaged gzip header, which its
/// connector dead-letters there with its key. One MariaDB server (mariadbd, from mariadb-server) serves every seed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PipelineUnderFaultsTests
{
    private const int DefaultSeeds = 12;
    private const int Steps = 4;
    private const int EntriesPerSource = 120;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    private MariaDbServer _mariadb = null!;

    [OneTimeSetUp]
    public async Task StartMariaDb() => _mariadb = await MariaDbServer.Shared();

    [OneTimeTearDown]
    public Task StopMariaDb() => MariaDbServer.StopShared();

    public static IEnumerable<int> Seeds()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("STREAMS_TEST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var one))
        {
            return [one];
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("STREAMS_SOAK_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return Enumerable.Range(1, n);
        }

        return Enumerable.Range(1, DefaultSeeds);
    }

    [TestCaseSource(nameof(Seeds))]
    public async Task Every_valid_event_is_indexed_once_and_every_malformed_line_is_dead_lettered_with_a_reason(int seed)
    {
        TestContext.Progress.WriteLine($"seed {seed} (replay with STREAMS_TEST_SEED={seed})");
        ProgressLoggerProvider.ClearRecentWarnings();
        var clock = Stopwatch.StartNew();
        var input = new InputGenerator(seed, Steps, EntriesPerSource, Environment.GetEnvironmentVariable("STREAMS_E2E_5MB_LINE") != "0");
        var schedule = FaultSchedule.Draw(seed, Steps);
        var random = new Random(seed);
        await using var pipeline = await PipelineUnderTest.StartAsync(TopicsFile(), _mariadb);
        pipeline.Elasticsearch.EnableChaos(FaultSchedule.Elasticsearch(seed));
        pipeline.StartTopology();
        pipeline.StartSink();
        foreach (var source in PipelineUnderTest.Sources)
        {
            pipeline.StartConnector(source);
        }

        for (var step = 0; step < Steps; step++)
        {
            await input.AppendChunkAsync(step, pipeline);
            await Task.Delay(random.Next(100, 600));
            await pipeline.StopSecondTopologyAsync();
            foreach (var fault in schedule.Steps[step])
            {
                TestContext.Progress.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.0}s step {step}: {fault}");
                await FaultSchedule.ApplyAsync(fault, pipeline, random);
                await Task.Delay(random.Next(50, 400));
            }
        }

        await pipeline.StopSecondTopologyAsync();
        var expected = ExpectedOutcome.For(pipeline, await pipeline.FinishMysqlAsync());
        await WaitUntilIndexedAsync(pipeline, expected, clock);

        var indexed = pipeline.Elasticsearch.Documents().Select(d => d.Id).ToList();
        var want = expected.DocumentIds.ToHashSet(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(want, Is.Not.Empty);
            Assert.That(want.Except(indexed), Is.Empty, "lost: expected documents missing from Elasticsearch");
            Assert.That(indexed.Except(want), Is.Empty, "unexpected documents in Elasticsearch");
            Assert.That(indexed.Count, Is.EqualTo(indexed.Distinct().Count()), "one document per id");
        });

        var topics = TopicReader.ReadCommitted(
            pipeline.Cluster.BootstrapServers,
            [.. PipelineUnderTest.Sources.Select(TopicNames.Curated), TopicNames.DeadLetter("topology"), TopicNames.DeadLetter("connect"), TopicNames.Raw("mysql")]);
        foreach (var source in PipelineUnderTest.Sources)
        {
            var curated = topics[TopicNames.Curated(source)]
                .GroupBy(r => Encoding.UTF8.GetString(r.Message.Key), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            Assert.That(curated, Is.EquivalentTo(expected.DocumentsPerSource[source]), $"{source}: committed curated records per event id (duplicates dropped, none twice)");
        }

        var deadLetters = topics[TopicNames.DeadLetter("topology")];
        var connectDeadLetters = topics[TopicNames.DeadLetter("connect")];
        Assert.That(connectDeadLetters, Has.Count.EqualTo(expected.ConnectDeadLetters), "each entry too large for Kafka and each damaged log object dead-lettered by its connector, once");
        Assert.That(
            connectDeadLetters.Where(d => TopicReader.Header(d, DeadLetters.HeaderPrefix + "reason") is { Length: > 0 }).Select(d => Encoding.UTF8.GetString(d.Message.Key)),
            Is.SupersetOf(expected.DamagedObjects),
            "elb: each damaged object dead-lettered under its key, with a reason");

        // The passwords reach raw.mysql as logged and must not reach a curated record (so none can reach an index).
        var secret = Encoding.UTF8.GetBytes(InputGenerator.MysqlSecretPrefix);
        bool HasSecret(ConsumeResult<byte[], byte[]> r) => r.Message.Value.AsSpan().IndexOf(secret) >= 0;
        Assert.Multiple(() =>
        {
            Assert.That(topics[TopicNames.Raw("mysql")].Count(HasSecret), Is.EqualTo(expected.MysqlSecrets).And.Positive, "mysql: rows with a password on raw.mysql");
            Assert.That(topics[TopicNames.Curated("mysql")].Where(HasSecret), Is.Empty, "mysql: no password in a curated record");
        });
        foreach (var source in PipelineUnderTest.Sources)
        {
            var fromSource = deadLetters.Where(d => TopicReader.Header(d, DeadLetters.HeaderPrefix + "topic") == TopicNames.Raw(source)).ToList();
            Assert.That(fromSource, Has.Count.EqualTo(expected.DeadLettersPerSource[source]), $"{source}: each malformed entry dead-lettered once");
            Assert.That(fromSource.Select(d => TopicReader.Header(d, DeadLetters.HeaderPrefix + "reason")), Has.All.Not.Empty, $"{source}: every dead letter says why");
        }

        Assert.Multiple(() =>
        {
            Assert.That(pipeline.Topology!.Streams.Failure, Is.Null, "the topology survived its input");
            Assert.That(pipeline.Connectors.Where(c => c.Completion.IsCompleted).Select(c => c.Name), Is.Empty, "no connector stopped by itself");
            Assert.That(pipeline.SinkRun.IsCompleted, Is.False, "the sink is still running");
        });
        TestContext.Progress.WriteLine(
            $"seed {seed}: {want.Count} documents, {expected.DeadLettersPerSource.Values.Sum()} dead letters, ES faults "
            + string.Join(", ", pipeline.Elasticsearch.FaultCounts.Select(kv => $"{kv.Key}={kv.Value}")) + $", {clock.Elapsed.TotalSeconds:0.0}s; process: {ProcessState()}");
    }

    private static async Task WaitUntilIndexedAsync(PipelineUnderTest pipeline, ExpectedOutcome expected, Stopwatch clock)
    {
        var want = expected.DocumentIds.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var indexed = pipeline.Elasticsearch.Documents().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            // Dead letters count too: a malformed last Laravel entry is sent only after the connector's idle flush, and
            // so reaches dlq.topology after every valid document may already be indexed.
            if (indexed.IsSupersetOf(want) && pipeline.Sink.Sink.RecordsInFlight == 0 && AllDeadLettered(pipeline, expected))
            {
                // Give stragglers (a record curated twice, a late dead letter) the time to show.
                TestContext.Progress.WriteLine($"  all indexed after {clock.Elapsed.TotalSeconds:0.0}s; checking");
                await Task.Delay(500);
                return;
            }

            if (pipeline.Topology?.Streams.Failure is { } failure)
            {
                Assert.Fail("the topology failed: " + failure);
            }

            await Task.Delay(100);
        }

        var missing = want.Except(pipeline.Elasticsearch.Documents().Select(d => d.Id)).Count();
        var deadLettered = TopicReader.ReadCommitted(pipeline.Cluster.BootstrapServers, TopicNames.DeadLetter("topology")).Count;
        TestContext.Progress.WriteLine("  stalled; process: " + ProcessState());
        Assert.Fail($"{missing} of {want.Count} documents not indexed, {deadLettered} of {expected.DeadLettersPerSource.Values.Sum()} dead letters after {SettleTimeout.TotalSeconds:0} s; "
            + $"topology read {pipeline.Topology?.Metrics.Read.Total}, curated {pipeline.Topology?.Metrics.Curated.Total}, "
            + $"state {pipeline.Topology?.Streams.State} with {pipeline.Topology?.Streams.ActiveTasks.Count} tasks ({pipeline.Topology?.Streams.RestoringTasks} restoring), "
            + $"connectors committed {string.Join(", ", pipeline.Connectors.Select(c => $"{c.Name}={c.CommittedRecords}{Stopped(c)}"))}, "
            + $"sink in flight {pipeline.Sink.Sink.RecordsInFlight}{Environment.NewLine}"
            + $"topology: {pipeline.Topology?.Streams.Describe()}{Environment.NewLine}"
            + $"instances still closing: {string.Join(Environment.NewLine, pipeline.Closing.Select(h => h.Streams.Describe()))}{Environment.NewLine}"
            + pipeline.Lag() + Environment.NewLine
            + "last warnings:" + Environment.NewLine + string.Join(Environment.NewLine, ProgressLoggerProvider.RecentWarnings()));
    }

    /// <summary>Why a connector stopped by itself, for a run that stalled.</summary>
    private static string Stopped(ISourceConnector connector) => connector.Completion switch
    {
        { IsFaulted: true } t => $" (stopped: {t.Exception!.GetBaseException().Message})",
        { IsCompleted: true } => " (stopped)",
        _ => string.Empty,
    };

    /// <summary>What a long soak in one process could leak from seed to seed: threads, pool threads, queued work, memory.</summary>
    private static string ProcessState()
    {
        using var self = Process.GetCurrentProcess();
        return $"{self.Threads.Count} threads, pool {ThreadPool.ThreadCount} ({ThreadPool.PendingWorkItemCount} queued), "
            + $"{GC.GetTotalMemory(false) / 1048576} MB managed, {self.WorkingSet64 / 1048576} MB resident";
    }

    private static bool AllDeadLettered(PipelineUnderTest pipeline, ExpectedOutcome expected)
    {
        var deadLetters = TopicReader.ReadCommitted(pipeline.Cluster.BootstrapServers, TopicNames.DeadLetter("topology"));
        return PipelineUnderTest.Sources.All(source =>
            deadLetters.Count(d => TopicReader.Header(d, DeadLetters.HeaderPrefix + "topic") == TopicNames.Raw(source)) >= expected.DeadLettersPerSource[source]);
    }

    private static string TopicsFile()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "topics.yaml");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("topics.yaml not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
