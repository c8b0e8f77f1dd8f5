namespace Streams.Topology.DeadLetterQueue;

/// <summary>How often a reason occurs, with the first dead letter that had it.</summary>
public sealed record ReasonCount(string Reason, int Count, DeadLetterRecord Example);

/// <summary>What `streams dlq list` shows for one dead-letter topic: counts by stage and reason, and the time range.</summary>
public sealed record DeadLetterSummary(
    string Topic,
    int Count,
    IReadOnlyDictionary<string, int> ByStage,
    IReadOnlyList<ReasonCount> Reasons,
    DateTimeOffset? First,
    DateTimeOffset? Last)
{
    public const string NoHeader = "(none)";

    public static DeadLetterSummary Of(string topic, IReadOnlyCollection<DeadLetterRecord> records) => new(
        topic,
        records.Count,
        records.GroupBy(r => r.Stage ?? NoHeader, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        records.GroupBy(r => r.Reason ?? NoHeader, StringComparer.Ordinal)
            .Select(g => new ReasonCount(g.Key, g.Count(), g.First()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList(),
        records.Count == 0 ? null : records.Min(r => r.Time),
        records.Count == 0 ? null : records.Max(r => r.Time));
}
