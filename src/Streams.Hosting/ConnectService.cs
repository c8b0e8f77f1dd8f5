using Microsoft.Extensions.Logging;
using Streams.Connectors.Hosting;
using Streams.Hosting.Http;
using Streams.Hosting.Logging;
using Streams.Hosting.Metrics;
using Streams.Runtime;

namespace Streams.Hosting;

/// <summary>
/// <c>streams connect NAME</c> as a service: one source connector with JSON logs and its health and metrics endpoint.
/// Live means the connector has not failed; ready means it runs.
/// </summary>
public sealed class ConnectService : StreamsService
{
    private ConnectService(ServiceOptions options, ISourceConnector connector, ILoggerFactory loggers)
        : base(options, loggers)
    {
        Connector = connector;

        // One connector per process: the task's log group and service name say which.
        Metrics
            .Counter("connect_records_committed_total", "Source records committed to the raw topic with their offsets", () => connector.CommittedRecords)
            .Counter("connect_dead_letters_committed_total", "Unreadable source objects committed to the dead-letter topic", () => connector.CommittedDeadLetters);
    }

    public ISourceConnector Connector { get; }

    /// <summary>Builds the connector from settings (the service's own keys taken out); throws <see cref="StreamsConfigException"/> naming a bad key.</summary>
    public static ConnectService Create(string name, IReadOnlyDictionary<string, string> settings, ILoggerFactory? loggers = null)
    {
        var (options, rest, logging) = Prepare(settings, loggers);
        return new ConnectService(options, SourceConnectors.Create(name, rest, logging), logging);
    }

    public override string Describe() => $"{Connector.Type} → {Connector.Topic}";

    public override string Summary() => $"stopped after {Connector.CommittedRecords} records committed";

    public override HealthReport Live()
    {
        var failed = IsStarted && Connector.Completion.IsFaulted;
        return new HealthReport(!failed, failed ? "failed" : "live", Details());
    }

    public override HealthReport Ready()
    {
        var running = IsStarted && !Connector.Completion.IsCompleted;
        return new HealthReport(running, running ? "ready" : "stopped", Details());
    }

    /// <summary>Runs the connector until <paramref name="stoppingToken"/> fires (then its open transaction commits) or it fails.</summary>
    protected override async Task RunWorkAsync(CancellationToken stoppingToken)
    {
        Connector.Start();
        await Task.WhenAny(Connector.Completion, Task.Delay(Timeout.Infinite, stoppingToken));
        await Connector.StopAsync(CancellationToken.None);
    }

    protected override ValueTask CloseWorkAsync() => Connector.DisposeAsync();

    private bool IsStarted
    {
        get
        {
            try
            {
                _ = Connector.Completion;
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    private Dictionary<string, object> Details() => new()
    {
        ["connector"] = Connector.Name,
        ["type"] = Connector.Type,
        ["committedRecords"] = Connector.CommittedRecords,
    };
}
