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
public sealed class SinkService : IServiceHealth, IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private ServiceEndpoint? _endpoint;
    private Task? _run;

    private SinkService(ServiceOptions options, SinkHost host, ILoggerFactory loggers)
    {
        Options = options;
        Host = host;
        _loggers = loggers;
        Metrics = new MetricsRegistry().AddSink(host);
    }

    public ServiceOptions Options { get; }

    public SinkHost Host { get; }

    public MetricsRegistry Metrics { get; }

    public int HttpPort => _endpoint?.Port ?? throw new InvalidOperationException("not started");

    /// <summary>Builds the sink from settings (the service's own keys taken out); throws <see cref="StreamsConfigException"/> naming a bad key.</summary>
    public static SinkService Create(IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers = null)
    {
        var (options, rest) = ServiceOptions.Split(settings);
        loggers ??= ServiceLogging.Create(options);
        return new SinkService(options, SinkHost.FromProperties(rest, loggers), loggers);
    }

    /// <summary>Opens the endpoint, then runs the sink until <paramref name="stoppingToken"/> fires and it has flushed, committed and closed.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _endpoint = await ServiceEndpoint.StartAsync(Options.HttpPort, this, Metrics, _loggers, stoppingToken);
        _run = Host.RunAsync(stoppingToken);
        await _run;
    }

    public HealthReport Live()
    {
        var failed = _run is { IsFaulted: true };
        return new HealthReport(!failed, failed ? "failed" : "live", Details());
    }

    public HealthReport Ready()
    {
        var running = _run is { IsCompleted: false };
        var ready = running && Host.Sink.AssignedPartitions > 0;
        return new HealthReport(ready, ready ? "ready" : running ? "unassigned" : "stopped", Details());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        _loggers.Dispose();
    }

    private Dictionary<string, object> Details() => new()
    {
        ["assignedPartitions"] = Host.Sink.AssignedPartitions,
        ["recordsInFlight"] = Host.Sink.RecordsInFlight,
    };
}
