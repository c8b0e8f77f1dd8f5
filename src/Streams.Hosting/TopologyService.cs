using Microsoft.Extensions.Logging;
using Streams.Hosting.Http;
using Streams.Hosting.Logging;
using Streams.Hosting.Metrics;
using Streams.Runtime;
using Streams.Runtime.Internals;
using Streams.Topology.Curation;

namespace Streams.Hosting;

/// <summary>
/// <c>streams topology</c> as a service: the <see cref="CurationHost"/> with JSON logs and its health and metrics
/// endpoint. Ready means every stream thread is assigned, its stores restored, and running; live means no stream
/// thread has died.
/// </summary>
public sealed class TopologyService : StreamsService
{
    private TopologyService(ServiceOptions options, CurationHost host, ILoggerFactory loggers)
        : base(options, loggers)
    {
        Host = host;
        Metrics.AddEngine(host.Streams).AddCuration(host.Metrics, host.Options.Geo);
    }

    public CurationHost Host { get; }

    /// <summary>Builds the host from settings (the service's own keys taken out); throws <see cref="StreamsConfigException"/> naming a bad key.</summary>
    public static TopologyService Create(IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers = null)
    {
        var (options, rest, logging) = Prepare(settings, loggers);
        return new TopologyService(options, CurationHost.FromProperties(rest, logging), logging);
    }

    /// <summary>Opens the endpoint first (so an orchestrator sees "not ready" rather than nothing), then starts the streams.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await OpenEndpointAsync(cancellationToken);
        Host.Streams.Start();
    }

    public override string Describe() =>
        $"curating {string.Join(", ", Host.Options.Sources)}; GeoIP {(Host.Options.Geo.IsEnabled ? Host.Options.Geo.Description : "off (no database configured)")}";

    public override string Summary() =>
        $"stopped after {Host.Metrics.Curated.Total} curated, {Host.Metrics.Duplicates.Total} duplicates, {Host.Metrics.DeadLettered.Total} dead-lettered";

    public override HealthReport Live()
    {
        var state = Host.Streams.State;
        return new HealthReport(state != KafkaStreamsState.Error, state == KafkaStreamsState.Error ? "failed" : "live", Details());
    }

    public override HealthReport Ready()
    {
        var streams = Host.Streams;
        var status = streams.IsReady ? "ready" : streams.RestoringTasks > 0 ? "restoring" : streams.State.ToString().ToLowerInvariant();
        return new HealthReport(streams.IsReady, status, Details());
    }

    /// <summary>Starts the streams and watches them until asked to stop; a dead stream thread ends the run with its error.</summary>
    protected override async Task RunWorkAsync(CancellationToken stoppingToken)
    {
        Host.Streams.Start();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Host.Streams.Failure is { } failure)
            {
                throw new StreamsException("a stream thread failed: " + failure.Message, failure);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Closes the streams within close.timeout.ms.</summary>
    protected override ValueTask CloseWorkAsync() => Host.DisposeAsync();

    private Dictionary<string, object> Details() => new()
    {
        ["state"] = Host.Streams.State.ToString(),
        ["activeTasks"] = Host.Streams.ActiveTasks.Count,
        ["restoringTasks"] = Host.Streams.RestoringTasks,
        ["threads"] = Host.Streams.DescribeThreads(),
    };
}
