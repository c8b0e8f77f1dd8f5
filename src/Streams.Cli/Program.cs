namespace Streams.Cli;

internal static class Program
{
    public static int Main(string[] args) => StreamsCommand.Build().Parse(args).Invoke();
}
