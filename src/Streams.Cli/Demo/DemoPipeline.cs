using System.Diagnostics;
using System.Text;
using Streams.Connectors.Elasticsearch;
using Streams.Connectors.Hosting;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Topics;
using Streams.Topology.Curation;

namespace Streams.Cli.Demo;

/// <summary>
/// The whole pipeline in one process: the embedded Kafka cluster with the topics of topics.yaml, a mock:// schema
/// registry, the connectors over the samples, the curation topology (exactly once, RocksDB stores, GeoIP) and the
/// sink; it stops by itself once everything the connectors read has been curated and indexed, and counts the result
/// from the topics and the indices. Each run starts from nothing: a new cluster, a new state directory and, unless
/// asked to keep them, no NDJSON files.
/// </summary>
internal static class DemoPipeline
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static async Task<DemoReport> RunAsync(DemoOptions options, Action<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var topics = LoadTopics(options.TopicsFile);
        PrepareOutput(options);
        var stateDir = Directory.CreateTempSubdirectory("streams-demo-state-").FullName;
        var registry = "mock://streams-demo-" + Guid.NewGuid().ToString("N");
        void Report(string phase) => progress?.Invoke(new DemoProgress(phase, [], 0, clock.Elapsed));

        Report("starting the embedded Kafka cluster");
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        try
        {
            using (var admin = new EmbeddedTopicAdmin(cluster))
            {
                var plan = TopicsPlan.Create(topics.Topics, await admin.DescribeTopicsAsync(cancellationToken), allowDestructive: false);
                await TopicsApplier.ApplyAsync(admin, plan, cancellationToken);
            }

            var common = new Dictionary<string, string>
            {
                [StreamsConfig.BootstrapServersKey] = cluster.BootstrapServers,
                [SourceConnectors.RegistryUrlKey] = registry,
            };

            Report("starting the topology and the sink");
            await using var topology = CurationHost.FromProperties(With(common, new()
            {
                [StreamsConfig.StateDirKey] = stateDir,
                [StreamsConfig.CommitIntervalKey] = "100",
                [CurationHost.GeoCityKey] = options.CityDatabase,
                [CurationHost.GeoAsnKey] = options.AsnDatabase,
            }));
            topology.Streams.Start();

            var sink = SinkHost.FromProperties(With(common, SinkSettings(options)));
            using var stopSink = new CancellationTokenSource();
            var sinkRun = Task.Run(() => sink.RunAsync(stopSink.Token), CancellationToken.None);
            try
            {
                var connectors = DemoSamples.Connectors(options.SamplesDirectory, common).Select(c => SourceConnectors.Create(c.Name, c.Settings)).ToList();
                try
                {
                    connectors.ForEach(c => c.Start());
                    await WaitUntilIndexedAsync(options, connectors, topology, sink, sinkRun, clock, progress, cancellationToken);
                    foreach (var connector in connectors)
                    {
                        await connector.StopAsync(cancellationToken);
                    }
                }
                finally
                {
                    foreach (var connector in connectors)
                    {
                        await connector.DisposeAsync();
                    }
                }
            }
            finally
            {
                await stopSink.CancelAsync();
                await sinkRun.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await sink.DisposeAsync();
            }

            Report("counting what arrived");
            var report = Summarise(options, cluster.BootstrapServers, topology.Metrics, sink, clock.Elapsed);
            Report("closing the topology");
            return report;
        }
        finally
        {
            Report("closing the embedded cluster");
            MockSchemaRegistry.DropScope(registry["mock://".Length..]);
            TryDelete(stateDir);
        }
    }

    private static TopicsFile LoadTopics(string path)
    {
        if (!File.Exists(path))
        {
            throw new DemoException($"{path}: no such file (give --topics)");
        }

        var topics = TopicsFile.Load(path);
        var errors = topics.ParseErrors.Concat(TopicsValidator.Validate(topics, Commands.PipelineTopics.Required)).ToList();
        return errors.Count == 0 ? topics : throw new DemoException(string.Join(Environment.NewLine, errors));
    }

    private static void PrepareOutput(DemoOptions options)
    {
        if (options.ElasticsearchUrl is not null)
        {
            return;
        }

        Directory.CreateDirectory(options.OutputDirectory);
        if (!options.KeepState)
        {
            foreach (var file in Directory.EnumerateFiles(options.OutputDirectory, "curated-*.ndjson"))
            {
                File.Delete(file);
            }
        }
    }

    private static Dictionary<string, string> SinkSettings(DemoOptions options)
    {
        var settings = new Dictionary<string, string>
        {
            [ElasticsearchSinkOptions.TopicsKey] = string.Join(',', DemoSamples.Sources.Select(TopicNames.Curated)),
            [ElasticsearchSinkOptions.CommitIntervalKey] = "200",
        };
        if (options.ElasticsearchUrl is { } url)
        {
            settings[SinkHost.TargetKey] = SinkHost.ElasticsearchTarget;
            settings[ElasticsearchOptions.UrlsKey] = url;
        }
        else
        {
            settings[SinkHost.TargetKey] = SinkHost.FileTarget;
            settings[SinkHost.OutputDirKey] = options.OutputDirectory;
        }

        return settings;
    }

    /// <summary>
    /// Done when the connectors have committed nothing new for the quiet period, the topology has accounted for every
    /// record they committed, and the sink has acknowledged every curated record.
    /// </summary>
    private static async Task WaitUntilIndexedAsync(
        DemoOptions options,
        List<ISourceConnector> connectors,
        CurationHost topology,
        SinkHost sink,
        Task sinkRun,
        Stopwatch clock,
        Action<DemoProgress>? progress,
        CancellationToken cancellationToken)
    {
        var deadline = clock.Elapsed + options.Timeout;
        var lastRead = -1L;
        var quietSince = clock.Elapsed;
        while (true)
        {
            await Task.Delay(Tick, cancellationToken);
            if (connectors.FirstOrDefault(c => c.Completion.IsCompleted) is { } stopped)
            {
                await stopped.Completion;
                throw new DemoException($"connector {stopped.Name} stopped by itself");
            }

            if (topology.Streams.Failure is { } failure)
            {
                throw new DemoException("the topology failed: " + failure.Message, failure);
            }

            if (sinkRun.IsCompleted)
            {
                await sinkRun;
                throw new DemoException("the sink stopped by itself");
            }

            var read = connectors.Sum(c => c.CommittedRecords);
            if (read != lastRead)
            {
                lastRead = read;
                quietSince = clock.Elapsed;
            }

            var m = topology.Metrics;
            var indexed = sink.Sink.DocumentsWritten + sink.Sink.RecordsDeadLettered;
            progress?.Invoke(new DemoProgress(
                "reading, curating and indexing",
                [.. DemoSamples.Sources.Select(s => new SourceProgress(s, connectors.Where(c => c.Type == s).Sum(c => c.CommittedRecords), m.Curated[s], m.Duplicates[s], m.DeadLettered[s]))],
                indexed,
                clock.Elapsed));

            var quiet = read > 0 && clock.Elapsed - quietSince >= options.QuietPeriod;
            var curated = m.Read.Total == read && m.Curated.Total + m.Duplicates.Total + m.DeadLettered.Total == read;
            if (quiet && curated && indexed >= m.Curated.Total && sink.Sink.RecordsInFlight == 0)
            {
                return;
            }

            if (clock.Elapsed > deadline)
            {
                throw new DemoException(
                    $"not finished after {options.Timeout.TotalSeconds:0} s: {read} read, {m.Read.Total} seen by the topology ({m.Curated.Total} curated, "
                    + $"{m.Duplicates.Total} duplicates, {m.DeadLettered.Total} dead-lettered), {indexed} indexed");
            }
        }
    }

    private static DemoReport Summarise(DemoOptions options, string bootstrapServers, CurationMetrics metrics, SinkHost sink, TimeSpan elapsed)
    {
        var sources = new List<SourceSummary>();
        var reasons = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var deadLetters = TopicNames.DeadLetter("topology");
        var topics = DemoSamples.Sources.SelectMany(s => new[] { TopicNames.Raw(s), TopicNames.Curated(s) }).Append(deadLetters).ToList();
        var client = new Dictionary<string, string>(StringComparer.Ordinal) { ["bootstrap.servers"] = bootstrapServers };
        foreach (var r in TopicReader.ReadToEnd(client, topics, TimeSpan.FromSeconds(60)))
        {
            counts[r.Topic] = counts.GetValueOrDefault(r.Topic) + 1;
            if (r.Topic != deadLetters)
            {
                continue;
            }

            var origin = Header(r.Message.Headers, DeadLetters.HeaderPrefix + "topic") ?? "?";
            var reason = Header(r.Message.Headers, DeadLetters.HeaderPrefix + "reason") ?? "(no reason)";
            var bySource = reasons.TryGetValue(origin, out var found) ? found : reasons[origin] = new Dictionary<string, long>(StringComparer.Ordinal);
            bySource[reason] = bySource.GetValueOrDefault(reason) + 1;
        }

        foreach (var source in DemoSamples.Sources)
        {
            var dead = reasons.GetValueOrDefault(TopicNames.Raw(source)) ?? [];
            sources.Add(new SourceSummary(
                source,
                counts.GetValueOrDefault(TopicNames.Raw(source)),
                counts.GetValueOrDefault(TopicNames.Curated(source)),
                metrics.Duplicates[source],
                dead.Values.Sum(),
                [.. dead.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(3).Select(kv => new ReasonCount(kv.Key, kv.Value))],
                metrics.GeoLookups[source],
                metrics.GeoHits[source]));
        }

        var target = options.ElasticsearchUrl ?? Path.GetFullPath(options.OutputDirectory);
        return new DemoReport(sources, DocumentsPerIndex(options), sink.Sink.RecordsDeadLettered, target, elapsed);
    }

    /// <summary>Documents per index file: a bulk body holds an action line and a source line per document.</summary>
    private static SortedDictionary<string, long> DocumentsPerIndex(DemoOptions options)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (options.ElasticsearchUrl is not null)
        {
            return counts;
        }

        foreach (var file in Directory.EnumerateFiles(options.OutputDirectory, "curated-*.ndjson"))
        {
            counts[Path.GetFileNameWithoutExtension(file)] = File.ReadLines(file).Count(l => l.Length > 0) / 2;
        }

        return counts;
    }

    private static string? Header(Confluent.Kafka.Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    private static Dictionary<string, string> With(Dictionary<string, string> common, Dictionary<string, string> own)
    {
        var all = new Dictionary<string, string>(common, StringComparer.Ordinal);
        foreach (var (key, value) in own)
        {
            all[key] = value;
        }

        return all;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The demo cannot go on; the message says why.</summary>
internal sealed class DemoException(string message, Exception? inner = null) : Exception(message, inner);
