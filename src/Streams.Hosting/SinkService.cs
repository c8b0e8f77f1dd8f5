using Microsoft.Extensions.Logging;
using Streams.Connectors.Elasticsearch;
using Streams.Hosting.Http;
using Streams.Hosting.Logging;
using Streams.Hosting.Metrics;
using Streams.Runtime;

namespace Streams.Hosting;

/// <summary>
/// <c>streams sink</c> as a service: the <see cref="SinkHost"/> with JSON logs and its health and metrics endpoint.
/// Ready means the sink loop runs and owns curated partitions; live means the loop has not failed.
/// </summary>
public sealed class SinkService : StreamsService
{
    private Task? _run;

    private SinkService(ServiceOptions options, SinkHost host, ILoggerFactory loggers)
        : base(options, loggers)
    {
        Host = host;
        Metrics.AddSink(host);
    }

    public SinkHost Host { get; }

    /// <summary>Builds the sink from settings (the service's own keys taken out); throws <see cref="StreamsConfigException"/> naming a bad key.</summary>
    public static SinkService Create(IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers = null)
    {
        var (options, rest, logging) = Prepare(settings, loggers);
        return new SinkService(options, SinkHost.FromProperties(rest, logging), logging);
    }

    public override string Describe() => $"reading {string.Join(", ", Host.Options.Topics)} as group {Host.Options.GroupId}";

    public override string Summary() => $"stopped after {Host.Sink.DocumentsWritten} documents written and {Host.Sink.RecordsDeadLettered} dead-lettered";

    public override HealthReport Live()
    {
        var failed = _run is { IsFaulted: true };
        return new HealthReport(!failed, failed ? "failed" : "live", Details());
    }

    public override HealthReport Ready()
    {
        var running = _run is { IsCompleted: false };
        var ready = running && Host.Sink.AssignedPartitions > 0;
        return new HealthReport(ready, ready ? "ready" : running ? "unassigned" : "stopped", Details());
    }

    /// <summary>Runs the sink until <paramref name="stoppingToken"/> fires and it has flushed, committed and closed.</summary>
    protected override Task RunWorkAsync(CancellationToken stoppingToken) => _run = Host.RunAsync(stoppingToken);

    protected override ValueTask CloseWorkAsync() => Host.DisposeAsync();

    private Dictionary<string, object> Details() => new()
    {
        ["assignedPartitions"] = Host.Sink.AssignedPartitions,
        ["recordsInFlight"] = Host.Sink.RecordsInFlight,
    };
}
