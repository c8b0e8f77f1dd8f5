using System.CommandLine;
using Streams.Runtime.Topics;

namespace Streams.Cli.Commands;

/// <summary><c>streams topics validate</c>: exit 0 with a summary, or 1 with one <c>file:LINE: message</c> per problem.</summary>
internal static class TopicsValidateCommand
{
    public static Command Build()
    {
        var file = TopicsCommand.FileOption();
        var command = new Command("validate", "Check topics.yaml: YAML, names, compaction, partitions, and that every topic the code uses is declared.")
        {
            file,
        };
        command.SetAction(result => Run(result.GetValue(file)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string path, TextWriter output, TextWriter error)
    {
        if (Load(path, error) is not { } topics)
        {
            return TopicsCommand.Failed;
        }

        var compacted = topics.Topics.Count(t => t.IsCompacted);
        output.WriteLine($"{topics.FileName}: {topics.Topics.Count} topics valid ({compacted} compacted, {topics.Topics.Sum(t => t.Partitions)} partitions in all).");
        return TopicsCommand.Ok;
    }

    /// <summary>The file when it validates; otherwise its problems are written to <paramref name="error"/> and null returned.</summary>
    public static TopicsFile? Load(string path, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: no such file");
            return null;
        }

        var topics = TopicsFile.Load(path);
        var problems = TopicsValidator.Validate(topics, PipelineTopics.Required);
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        return problems.Count == 0 ? topics : null;
    }
}
