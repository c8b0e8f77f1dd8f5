using System.Runtime.InteropServices;
using Streams.Hosting;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>
/// How streams topology, sink and connect run: settings from STREAMS_* variables and --config pairs, the service until
/// Ctrl+C or SIGTERM (the signal is held so the graceful close is not cut short), then a summary. Exit 0 after a stop,
/// 1 when the service fails, 2 on bad configuration.
/// </summary>
internal static class ServiceCommand
{
    public static int Run(string name, Func<IReadOnlyDictionary<string, string>, StreamsService> create, string[] pairs, TextWriter output, TextWriter error)
    {
        StreamsService service;
        try
        {
            service = create(ServiceSettings.Read(Environment.GetEnvironmentVariables(), pairs));
        }
        catch (StreamsConfigException ex)
        {
            error.WriteLine($"streams {name}: {ex.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        output.WriteLine($"streams {name}: {service.Describe()}; health and metrics on port {service.Options.HttpPort}; Ctrl+C stops");
        try
        {
            service.RunAsync(stop.Token).GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            error.WriteLine($"streams {name}: cannot serve health and metrics on {ServiceOptions.HttpPortKey}={service.Options.HttpPort}: {ex.Message}");
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 1;
        }
        catch (Exception ex)
        {
            error.WriteLine($"streams {name}: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : string.Empty)}");
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 1;
        }

        service.DisposeAsync().AsTask().GetAwaiter().GetResult();
        output.WriteLine($"streams {name}: {service.Summary()}");
        return 0;
    }
}
