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

/// <summary>The checkout's topics.yaml and schemas directory, found by walking up to Streams.sln, and scratch copies of them.</summary>
internal static class RepoFiles
{
    public static string TopicsYaml { get; } = Path.Combine(FindRoot(), "topics.yaml");

    public static string Schemas { get; } = Path.Combine(FindRoot(), "schemas");

    public static string Samples { get; } = Path.Combine(FindRoot(), "samples");

    /// <summary>A scratch copy of schemas/ without compat/, to modify.</summary>
    public static string CopySchemas()
    {
        var copy = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"schemas-{Guid.NewGuid():N}");
        foreach (var file in Directory.GetFiles(Schemas, "*.avsc", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Schemas, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public static string WriteTemp(string text)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"topics-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Streams.sln above " + TestContext.CurrentContext.TestDirectory);
    }
}
