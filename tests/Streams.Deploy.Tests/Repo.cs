using System.CommandLine;
using NUnit.Framework;
using Streams.Cli;

namespace Streams.Deploy.Tests;

/// <summary>Paths of the repository the tests run in, and the real CLI to check commands against.</summary>
internal static class Repo
{
    public static string Root { get; } = Locate();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Terraform => Path.Combine(Deploy, "terraform");

    public static string Ecs => Path.Combine(Deploy, "ecs");

    public static IEnumerable<string> TaskDefinitions => Directory.EnumerateFiles(Ecs, "*.json").Order(StringComparer.Ordinal);

    /// <summary>The name of the CLI's executable (its assembly name), which the image's entrypoint must be.</summary>
    public static string CliExecutable => typeof(StreamsCommand).Assembly.GetName().Name!;

    public static bool CliHas(string command) => StreamsCommand.Build().Subcommands.Any(c => c.Name == command);

    /// <summary>
    /// Parses <paramref name="args"/> with the CLI's own command tree and fails on any parse error. A command the CLI
    /// does not have yet (streams connect, written alongside) is reported as ignored rather than passed.
    /// </summary>
    public static ParseResult AssertCliAccepts(IReadOnlyList<string> args, string where)
    {
        var root = StreamsCommand.Build();
        Assert.That(args, Is.Not.Empty, where + ": no command");
        if (args[0] == "connect" && root.Subcommands.All(c => c.Name != "connect"))
        {
            Assert.Ignore($"{where}: 'streams connect' is not in this build of the CLI yet; the command shape checked is {string.Join(' ', args)}");
        }

        var parse = root.Parse(args.ToArray());
        Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, $"{where}: streams {string.Join(' ', args)}");
        Assert.That(parse.CommandResult.Command, Is.Not.SameAs(root), $"{where}: '{string.Join(' ', args)}' names no command");
        return parse;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Streams.sln not found above " + AppContext.BaseDirectory);
    }
}
