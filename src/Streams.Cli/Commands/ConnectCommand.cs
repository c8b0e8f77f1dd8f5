using System.CommandLine;
using System.Runtime.InteropServices;
using Streams.Hosting;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams connect NAME [--config KEY=VALUE]…</c>: one source connector until Ctrl+C or SIGTERM, then the
/// transaction in flight commits and it stops. The type is connector.type, or NAME when that is a type (mysql,
/// mongodb, laravel, elb). Settings come from STREAMS_* variables, overridden by --config. Exit 0 after a stop,
/// 1 when the connector fails, 2 on bad configuration.
/// </summary>
internal static class ConnectCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "The connector's name: its offsets key and transactional id; also its type unless connector.type is set" };
        var config = ServiceSettings.ConfigOption("laravel.path=/var/log/app/laravel*.log");
        var command = new Command("connect", "Run one source connector: a log source → raw.<source>, records and offsets in one transaction")
        {
            name,
            config,
        };
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(config) ?? [], parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string name, string[] pairs, TextWriter output, TextWriter error)
    {
        ConnectService service;
        try
        {
            service = ConnectService.Create(name, ServiceSettings.Read(Environment.GetEnvironmentVariables(), pairs));
        }
        catch (StreamsConfigException ex)
        {
            error.WriteLine($"streams connect {name}: {ex.Message}");
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
        var connector = service.Connector;
        output.WriteLine($"streams connect {name}: {connector.Type} → {connector.Topic}; Ctrl+C stops");
        try
        {
            service.RunAsync(stop.Token).GetAwaiter().GetResult();
            output.WriteLine($"streams connect {name}: stopped after {connector.CommittedRecords} records committed");
            return 0;
        }
        catch (Exception ex)
        {
            error.WriteLine($"streams connect {name}: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : string.Empty)}");
            return 1;
        }
        finally
        {
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
