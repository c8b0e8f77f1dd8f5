using Microsoft.Extensions.Logging;
using Streams.Hosting.Http;
using Streams.Hosting.Logging;
using Streams.Hosting.Metrics;

namespace Streams.Hosting;

/// <summary>
/// What <c>streams topology</c>, <c>streams sink</c> and <c>streams connect</c> share as services: their own settings
/// (<see cref="ServiceOptions"/>, taken out before the rest reach the work), JSON logs, and the health and metrics
/// endpoint, opened before the work starts so that an orchestrator sees "not ready" rather than nothing.
/// </summary>
public abstract class StreamsService : IServiceHealth, IAsyncDisposable
{
    private ServiceEndpoint? _endpoint;
    private bool _disposed;

    protected StreamsService(ServiceOptions options, ILoggerFactory loggers)
    {
        Options = options;
        Loggers = loggers;
    }

    public ServiceOptions Options { get; }

    public MetricsRegistry Metrics { get; } = new();

    /// <summary>The port of the health and metrics endpoint once started.</summary>
    public int HttpPort => _endpoint?.Port ?? throw new InvalidOperationException("not started");

    protected ILoggerFactory Loggers { get; }

    /// <summary>One line on what the service does, for its start.</summary>
    public abstract string Describe();

    /// <summary>One line on what it did, for after a stop.</summary>
    public abstract string Summary();

    /// <summary>Opens the endpoint, then does the work until <paramref name="stoppingToken"/> fires (and the work has stopped gracefully) or it fails (and throws).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await OpenEndpointAsync(stoppingToken);
        await RunWorkAsync(stoppingToken);
    }

    public abstract HealthReport Live();

    public abstract HealthReport Ready();

    /// <summary>Closes the work (gracefully, within its close timeout), then the endpoint, which answers "not ready" meanwhile.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await CloseWorkAsync();
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        Loggers.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The service's own keys out of <paramref name="settings"/>, the rest for the work, and the loggers.</summary>
    protected static (ServiceOptions Options, Dictionary<string, string> Remaining, ILoggerFactory Loggers) Prepare(IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers)
    {
        var (options, rest) = ServiceOptions.Split(settings);
        return (options, rest, loggers ?? ServiceLogging.Create(options));
    }

    protected async Task OpenEndpointAsync(CancellationToken cancellationToken) =>
        _endpoint = await ServiceEndpoint.StartAsync(Options.HttpPort, this, Metrics, Loggers, cancellationToken);

    protected abstract Task RunWorkAsync(CancellationToken stoppingToken);

    protected abstract ValueTask CloseWorkAsync();
}
