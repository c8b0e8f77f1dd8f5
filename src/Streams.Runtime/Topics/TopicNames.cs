using System.Text.RegularExpressions;

namespace Streams.Runtime.Topics;

/// <summary>The topic naming convention, so connectors, the topology and the sink build names one way.</summary>
public static partial class TopicNames
{
    /// <summary>Kafka refuses longer names (the limit leaves room for partition directories).</summary>
    public const int MaxLength = 249;

    /// <summary>Where source connectors keep their read positions.</summary>
    public const string ConnectOffsets = "_streams.connect.offsets";

    /// <summary>Which dead letters a replay has sent back, per DLQ partition (<c>streams dlq replay</c>).</summary>
    public const string DlqReplayOffsets = "streams-dlq-replay-offsets";

    /// <summary>Topics that start like this belong to the product: undeclared ones are candidates for deletion.</summary>
    public static readonly IReadOnlyList<string> ManagedPrefixes = ["raw.", "curated.", "dlq.", "_streams.", "streams-"];

    public static string Raw(string source) => $"raw.{source}";

    public static string Curated(string source) => $"curated.{source}";

    public static string DeadLetter(string stage) => $"dlq.{stage}";

    public static bool IsManaged(string topic) => ManagedPrefixes.Any(p => topic.StartsWith(p, StringComparison.Ordinal));

    /// <summary>True for topics Kafka's log cleaner must compact: offsets and changelogs keep only the latest value per key.</summary>
    public static bool MustBeCompacted(string topic) =>
        topic == ConnectOffsets || topic.EndsWith("-offsets", StringComparison.Ordinal) || topic.EndsWith("-changelog", StringComparison.Ordinal);

    /// <summary>Why <paramref name="topic"/> breaks the convention, or null when it follows it.</summary>
    public static string? Check(string topic)
    {
        if (topic.Length == 0 || topic.Length > MaxLength)
        {
            return $"topic name must be 1 to {MaxLength} characters long, '{topic}' has {topic.Length}";
        }

        if (!Allowed().IsMatch(topic))
        {
            return $"topic name '{topic}' may only use lower-case letters, digits, '.', '_' and '-'";
        }

        return topic == ConnectOffsets || Conventional().IsMatch(topic)
            ? null
            : $"topic name '{topic}' follows none of raw.<source>, curated.<source>, dlq.<stage>, <app>-<store>-changelog, <app>-offsets, {ConnectOffsets}";
    }

    [GeneratedRegex(@"^[a-z0-9._-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex(@"^((raw|curated|dlq)\.[a-z0-9_-]+|[a-z0-9._-]+-[a-z0-9._-]+-changelog|[a-z0-9._-]+-offsets)$")]
    private static partial Regex Conventional();
}
