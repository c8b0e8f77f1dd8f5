using System.Diagnostics;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;

namespace Streams.Bench.E2E;

/// <summary>The sink: every curated topic rendered by CuratedDocumentRenderer and written to the NDJSON target.</summary>
internal static class SinkRun
{
    /// <summary>
    /// Documents a sink of its own group writes before the measured one starts, so that the phase measures the sink's
    /// code optimised, as the topology phase does after the "no kafka" phase: the sink's code is new to the process
    /// here, and .NET runs a method unoptimised until it has been called often enough (tiered compilation).
    /// </summary>
    public const long WarmUpDocuments = 30_000;

    public static async Task<PhaseResult> RunAsync(string bootstrap, RegistryScope registry, long expected, TimeSpan timeout)
    {
        var warmUp = await WriteAsync(bootstrap, registry, "bench-sink-warm-up", Math.Min(expected, WarmUpDocuments), timeout, report: false);
        Console.WriteLine($"  sink warm-up: {warmUp.Records:N0} documents in {warmUp.Elapsed.TotalSeconds:F1} s, by a group of its own");
        return await WriteAsync(bootstrap, registry, "bench-sink", expected, timeout, report: true);
    }

    private static async Task<PhaseResult> WriteAsync(string bootstrap, RegistryScope registry, string group, long expected, TimeSpan timeout, bool report)
    {
        var directory = Path.Combine(Path.GetTempPath(), "streams-bench-ndjson-" + Guid.NewGuid().ToString("N"));
        var options = new ElasticsearchSinkOptions
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            Topics = SchemaCatalog.Sources.Select(s => s.CuratedTopic).ToList(),
        };
        var renderer = new CuratedDocumentRenderer(registry.Client);
        var sink = new ElasticsearchSink(options, new NdjsonFileTarget(directory), renderer.Render);
        using var stop = new CancellationTokenSource();
        var gcBefore = GcCounts.Now();
        var watch = Stopwatch.StartNew();
        var running = sink.RunAsync(stop.Token);
        TimeSpan? first = null;
        var lastProgress = TimeSpan.Zero;
        long seen = 0;
        // Until every curated record is written, or nothing moved for 10 s (records the topology counted but did
        // not commit before it closed never arrive): the figure is up to the last document written.
        while (sink.DocumentsWritten + sink.RecordsDeadLettered < expected && watch.Elapsed < timeout && !running.IsCompleted
               && (first is null || watch.Elapsed - lastProgress < TimeSpan.FromSeconds(10)))
        {
            var now = sink.DocumentsWritten + sink.RecordsDeadLettered;
            if (now != seen)
            {
                seen = now;
                lastProgress = watch.Elapsed;
                first ??= watch.Elapsed;
            }

            await Task.Delay(5);
        }

        var elapsed = sink.DocumentsWritten + sink.RecordsDeadLettered >= expected ? watch.Elapsed : lastProgress;
        var written = sink.DocumentsWritten;
        var gc = GcCounts.Now().Since(gcBefore);
        if (report)
        {
            Console.WriteLine($"  sink {gc}, allocated {gc.Allocated / (double)Math.Max(1, written):F0} B/document");
        }

        await stop.CancelAsync();
        await running;
        await sink.DisposeAsync();
        Directory.Delete(directory, recursive: true);
        return new PhaseResult("sink", written, elapsed, first ?? TimeSpan.Zero);
    }
}
