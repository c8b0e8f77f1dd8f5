using System.Diagnostics;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;

namespace Streams.Bench.E2E;

/// <summary>The sink: every curated topic rendered by CuratedDocumentRenderer and written to the NDJSON target.</summary>
internal static class SinkRun
{
    public static async Task<PhaseResult> RunAsync(string bootstrap, RegistryScope registry, long expected, TimeSpan timeout)
    {
        var directory = Path.Combine(Path.GetTempPath(), "streams-bench-ndjson-" + Guid.NewGuid().ToString("N"));
        var options = new ElasticsearchSinkOptions
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-sink",
            Topics = SchemaCatalog.Sources.Select(s => s.CuratedTopic).ToList(),
        };
        var renderer = new CuratedDocumentRenderer(registry.Client);
        var sink = new ElasticsearchSink(options, new NdjsonFileTarget(directory), renderer.Render);
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var running = sink.RunAsync(stop.Token);
        TimeSpan? first = null;
        while (sink.DocumentsWritten + sink.RecordsDeadLettered < expected && watch.Elapsed < timeout && !running.IsCompleted)
        {
            if (first is null && sink.DocumentsWritten > 0)
            {
                first = watch.Elapsed;
            }

            await Task.Delay(5);
        }

        var elapsed = watch.Elapsed;
        var written = sink.DocumentsWritten;
        await stop.CancelAsync();
        await running;
        await sink.DisposeAsync();
        Directory.Delete(directory, recursive: true);
        return new PhaseResult("sink", written, elapsed, first ?? TimeSpan.Zero);
    }
}
