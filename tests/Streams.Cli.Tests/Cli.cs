using System.CommandLine;

namespace Streams.Cli.Tests;

/// <summary>Runs the streams command in process and keeps what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await StreamsCommand.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The checkout's topics.yaml, found by walking up to Streams.sln, and scratch copies of it.</summary>
internal static class RepoFiles
{
    public static string TopicsYaml { get; } = Find();

    public static string WriteTemp(string text)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"topics-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                return Path.Combine(dir.FullName, "topics.yaml");
            }
        }

        throw new InvalidOperationException("no Streams.sln above " + TestContext.CurrentContext.TestDirectory);
    }
}
