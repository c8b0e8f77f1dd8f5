using System.CommandLine;
using System.Runtime.InteropServices;
using Streams.Hosting;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams sink [--config KEY=VALUE]…</c>: curated topics to Elasticsearch (or NDJSON files) until Ctrl+C or SIGTERM,
/// then a graceful close within sink.close.timeout.ms, serving /health/live, /health/ready and /metrics on http.port (8080). Settings come from STREAMS_* variables (STREAMS_SINK_TOPICS →
/// sink.topics), overridden by --config. Exit 0 after a stop, 1 when the sink fails, 2 on bad configuration.
/// </summary>
internal static class SinkCommand
{
    public static Command Build()
    {
        var config = ServiceSettings.ConfigOption("sink.topics=curated.elb");
        var command = new Command("sink", "Write curated topics to Elasticsearch daily indices (or NDJSON files with sink.target=file)")
        {
            config,
        };

        // Synchronous on purpose: the command handles the signals itself so the close is not cut short by the parser's termination timeout.
        command.SetAction(parse => Run(parse.GetValue(config) ?? [], parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] pairs, TextWriter output, TextWriter error)
    {
        SinkService service;
        try
        {
            service = SinkService.Create(ServiceSettings.Read(Environment.GetEnvironmentVariables(), pairs));
        }
        catch (StreamsConfigException ex)
        {
            error.WriteLine($"streams sink: {ex.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var host = service.Host;
        output.WriteLine($"streams sink: reading {string.Join(", ", host.Options.Topics)} as group {host.Options.GroupId}; Ctrl+C stops");
        try
        {
            service.RunAsync(stop.Token).GetAwaiter().GetResult();
            output.WriteLine($"streams sink: stopped after {host.Sink.DocumentsWritten} documents written and {host.Sink.RecordsDeadLettered} dead-lettered");
            return 0;
        }
        catch (Exception ex)
        {
            error.WriteLine($"streams sink: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : string.Empty)}");
            return 1;
        }
        finally
        {
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        // Cancelling the signal keeps the process alive until the sink has flushed, committed and closed.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
