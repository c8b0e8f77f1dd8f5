using System.CommandLine;
using System.Runtime.InteropServices;
using Streams.Hosting;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams topology [--config KEY=VALUE]…</c>: the curation topology until Ctrl+C or SIGTERM, then a graceful close
/// within close.timeout.ms, serving /health/live, /health/ready and /metrics on http.port (8080). Settings come from
/// STREAMS_* variables, overridden by --config. Exit 0 after a stop,
/// 1 when a stream thread fails, 2 on bad configuration.
/// </summary>
internal static class TopologyCommand
{
    public static Command Build()
    {
        var config = ServiceSettings.ConfigOption("bootstrap.servers=kafka:9092");
        var command = new Command("topology", "Run the curation topology: raw.<source> → curated.<source>, exactly once") { config };
        command.SetAction(parse => Run(parse.GetValue(config) ?? [], parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] pairs, TextWriter output, TextWriter error)
    {
        TopologyService service;
        try
        {
            service = TopologyService.Create(ServiceSettings.Read(Environment.GetEnvironmentVariables(), pairs));
        }
        catch (StreamsConfigException ex)
        {
            error.WriteLine($"streams topology: {ex.Message}");
            return 2;
        }

        using var stop = new ManualResetEventSlim();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var host = service.Host;
        output.WriteLine($"streams topology: curating {string.Join(", ", host.Options.Sources)}; GeoIP {(host.Options.Geo.IsEnabled ? host.Options.Geo.Description : "off (no database configured)")}; Ctrl+C stops");
        try
        {
            service.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            error.WriteLine($"streams topology: cannot serve health and metrics on {ServiceOptions.HttpPortKey}={service.Options.HttpPort}: {ex.Message}");
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 1;
        }

        output.WriteLine($"streams topology: health and metrics on port {service.HttpPort}");
        while (!stop.Wait(TimeSpan.FromSeconds(1)))
        {
            if (host.Streams.Failure is { } failure)
            {
                error.WriteLine($"streams topology: a stream thread failed: {failure.Message}");
                service.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return 1;
            }
        }

        service.DisposeAsync().AsTask().GetAwaiter().GetResult();
        output.WriteLine($"streams topology: stopped after {host.Metrics.Curated.Total} curated, {host.Metrics.Duplicates.Total} duplicates, {host.Metrics.DeadLettered.Total} dead-lettered");
        return 0;
    }
}
