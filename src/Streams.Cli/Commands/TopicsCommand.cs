using System.CommandLine;

namespace Streams.Cli.Commands;

/// <summary><c>streams topics validate|plan|apply</c>: topics.yaml as the source of truth for the cluster's topics.</summary>
internal static class TopicsCommand
{
    /// <summary>Exit codes shared by the subcommands.</summary>
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Refused = 2;

    public static Command Build()
    {
        var topics = new Command("topics", "Check topics.yaml and bring a cluster's topics in line with it.");
        topics.Subcommands.Add(TopicsValidateCommand.Build());
        topics.Subcommands.Add(TopicsPlanCommand.Build(apply: false));
        topics.Subcommands.Add(TopicsPlanCommand.Build(apply: true));
        return topics;
    }

    public static Option<string> FileOption() => new("--file", "-f")
    {
        Description = "The topics file.",
        DefaultValueFactory = _ => "topics.yaml",
    };
}
