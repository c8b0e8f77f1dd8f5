using System.CommandLine;

namespace Streams.Cli;

internal static class StreamsCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Streams: a Kafka Streams-style log curation pipeline.");
        return root;
    }
}
