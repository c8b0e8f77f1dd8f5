using System.CommandLine;
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

    private static int Run(string[] pairs, TextWriter output, TextWriter error) =>
        ServiceCommand.Run("sink", settings => SinkService.Create(settings), pairs, output, error);
}
