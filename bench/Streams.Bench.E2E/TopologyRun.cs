using System.Diagnostics;
using Streams.Runtime;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Bench.E2E;

/// <summary>
/// The real curation: CurationTopology.Build on KafkaStreams with exactly_once_v2, RocksDB dedup stores (retention
/// long enough that every distinct id stays in the store) and GeoIP on.
/// </summary>
internal sealed class TopologyRun : IAsyncDisposable
{
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "streams-bench-state-" + Guid.NewGuid().ToString("N"));

    public TopologyRun(string bootstrap, RegistryScope registry, GeoIpEnricher geo, int threads, int? commitIntervalMs, bool holdOutput, IReadOnlyDictionary<string, string>? settings)
    {
        var options = Options(registry, geo);
        var engine = CurationTopology.EngineDefaults(options);
        engine[StreamsConfig.BootstrapServersKey] = bootstrap;
        engine[StreamsConfig.StateDirKey] = _stateDir;
        engine[StreamsConfig.NumStreamThreadsKey] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (commitIntervalMs is { } interval)
        {
            engine[StreamsConfig.CommitIntervalKey] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        engine[StreamsConfig.HoldOutputKey] = holdOutput ? "true" : "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            engine[key] = value;
        }

        Streams = new KafkaStreams(CurationTopology.Build(options, Metrics, registry.Client), StreamsConfig.FromProperties(engine));
    }

    public CurationMetrics Metrics { get; } = new();

    /// <summary>The curation as benchmarked: GeoIP on, and a dedup retention long enough that every distinct id stays in the store.</summary>
    public static CurationOptions Options(RegistryScope registry, GeoIpEnricher geo) =>
        new() { Registry = registry.Settings, Geo = geo, DedupRetention = TimeSpan.FromDays(3650) };

    public KafkaStreams Streams { get; }

    /// <summary>Starts the topology and waits until <paramref name="expected"/> raw records are processed and committed.</summary>
    public PhaseResult RunUntil(long expected, TimeSpan timeout, Action? check = null)
    {
        var watch = Stopwatch.StartNew();
        Streams.Start();
        TimeSpan? first = null;
        while (Streams.Metrics.RecordsProcessed.Total < expected)
        {
            if (Streams.Failure is { } failure)
            {
                throw new InvalidOperationException("the topology failed", failure);
            }

            check?.Invoke();
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"the topology processed {Streams.Metrics.RecordsProcessed.Total} of {expected} records in {timeout}");
            }

            if (first is null && Streams.Metrics.RecordsProcessed.Total > 0)
            {
                first = watch.Elapsed;
            }

            Thread.Sleep(5);
        }

        // Processed is not yet visible: wait until the commit that covers the last record has committed.
        while (Streams.Metrics.RecordsCommitted.Total < expected && watch.Elapsed < timeout)
        {
            Thread.Sleep(1);
        }

        return new PhaseResult("topology", expected, watch.Elapsed, first ?? TimeSpan.Zero);
    }

    public async ValueTask DisposeAsync()
    {
        await Streams.CloseAsync(TimeSpan.FromSeconds(60));
        try
        {
            Directory.Delete(_stateDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
