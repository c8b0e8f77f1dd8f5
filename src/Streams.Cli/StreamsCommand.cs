using System.CommandLine;
using Streams.Cli.Commands;

namespace Streams.Cli;

internal static class StreamsCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Streams: a Kafka Streams-style log curation pipeline.")
        {
            CurateCommand.Build(),
            TopicsCommand.Build(),
            SinkCommand.Build(),
            TopologyCommand.Build(),
            SchemasCommand.Build(),
            ConnectCommand.Build(),
            DemoCommand.Build(),
            KibanaCommand.Build(),
            DlqCommand.Build(),
            HealthCommand.Build(),
        };
        return root;
    }
}
