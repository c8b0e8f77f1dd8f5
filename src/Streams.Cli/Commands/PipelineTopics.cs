using Streams.Runtime.Topics;

namespace Streams.Cli.Commands;

/// <summary>The topics the code reads or writes, so that validate fails when topics.yaml forgets one.</summary>
internal static class PipelineTopics
{
    public const string ApplicationId = "streams-curation";

    public static readonly IReadOnlyList<string> Sources = ["mysql", "mongodb", "laravel", "elb"];

    public static IReadOnlyList<string> Required { get; } =
    [
        .. Sources.Select(TopicNames.Raw),
        .. Sources.Select(TopicNames.Curated),
        TopicNames.DeadLetter("connect"),
        TopicNames.DeadLetter("topology"),
        TopicNames.DeadLetter("sink"),
        TopicNames.ConnectOffsets,
        Runtime.Topology.PositionsTopic(ApplicationId),
        Topology.DeadLetterQueue.ReplayLedger.Topic,
        .. Sources.Select(s => Runtime.Topology.ChangelogTopic(ApplicationId, "dedup-" + s)),
    ];
}
