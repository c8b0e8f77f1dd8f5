using System.CommandLine;
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

    private static int Run(string[] pairs, TextWriter output, TextWriter error) =>
        ServiceCommand.Run("topology", settings => TopologyService.Create(settings), pairs, output, error);
}
