using System.CommandLine;
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

    private static int Run(string name, string[] pairs, TextWriter output, TextWriter error) =>
        ServiceCommand.Run("connect " + name, settings => ConnectService.Create(name, settings), pairs, output, error);
}
