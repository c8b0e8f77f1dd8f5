using Microsoft.Extensions.Logging;
using Streams.Hosting.Http;
using Streams.Hosting.Logging;
using Streams.Hosting.Metrics;
using Streams.Runtime;
using Streams.Topology.Curation;

namespace Streams.Hosting;

/// <summary>
/// <c>streams topology</c> as a service: the <see cref="CurationHost"/> with JSON logs and its health and metrics
/// endpoint. Ready means every stream thread is assigned, its stores restored, and running; live means no stream
/// thread has died.
/// </summary>
public sealed class TopologyService : IServiceHealth, IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private ServiceEndpoint? _endpoint;

    private TopologyService(ServiceOptions options, CurationHost host, ILoggerFactory loggers)
    {
        Options = options;
        Host = host;
        _loggers = loggers;
        Metrics = new MetricsRegistry().AddEngine(host.Streams).AddCuration(host.Metrics, host.Options.Geo);
    }

    public ServiceOptions Options { get; }

    public CurationHost Host { get; }

    public MetricsRegistry Metrics { get; }

    /// <summary>The port of the health and metrics endpoint once started.</summary>
    public int HttpPort => _endpoint?.Port ?? throw new InvalidOperationException("not started");

    /// <summary>Builds the host from settings (the service's own keys taken out); throws <see cref="StreamsConfigException"/> naming a bad key.</summary>
    public static TopologyService Create(IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers = null)
    {
        var (options, rest) = ServiceOptions.Split(settings);
        loggers ??= ServiceLogging.Create(options);
        return new TopologyService(options, CurationHost.FromProperties(rest, loggers), loggers);
    }

    /// <summary>Opens the endpoint first (so an orchestrator sees "not ready" rather than nothing), then starts the streams.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _endpoint = await ServiceEndpoint.StartAsync(Options.HttpPort, this, Metrics, _loggers, cancellationToken);
        Host.Streams.Start();
    }

    public HealthReport Live()
    {
        var state = Host.Streams.State;
        return new HealthReport(state != KafkaStreamsState.Error, state == KafkaStreamsState.Error ? "failed" : "live", Details());
    }

    public HealthReport Ready()
    {
        var streams = Host.Streams;
        var status = streams.IsReady ? "ready" : streams.RestoringTasks > 0 ? "restoring" : streams.State.ToString().ToLowerInvariant();
        return new HealthReport(streams.IsReady, status, Details());
    }

    /// <summary>Closes the streams within close.timeout.ms, then the endpoint (it answers "not ready" meanwhile).</summary>
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
        ["state"] = Host.Streams.State.ToString(),
        ["activeTasks"] = Host.Streams.ActiveTasks.Count,
        ["restoringTasks"] = Host.Streams.RestoringTasks,
    };
}
