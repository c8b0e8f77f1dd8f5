using Streams.Runtime.Topics;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// What a replay of one dead-letter topic would write: the selected records not replayed before, each checked
/// (error headers present, origin topic exists). Building it writes nothing; bad input throws
/// <see cref="DeadLetterInputException"/>.
/// </summary>
public sealed record ReplayPlan(
    string Topic,
    DeadLetterSelection Selection,
    IReadOnlyList<DeadLetterRecord> Pending,
    int Matched,
    IReadOnlyDictionary<string, int> Topics)
{
    /// <summary>dlq.topology → topology.</summary>
    public string Stage => Topic[TopicNames.DeadLetter(string.Empty).Length..];

    /// <summary>The replay's consumer group and transactional id, one per dead-letter topic.</summary>
    public string GroupId => "streams-dlq-replay-" + Stage;

    public int AlreadyReplayed => Matched - Pending.Count;

    public static ReplayPlan Create(DeadLetterCluster cluster, string topic, DeadLetterSelection selection)
    {
        var topics = cluster.Topics();
        CheckTopic(topics, topic);
        var ledger = ReplayLedger.Read(cluster, topic, topics);
        var records = cluster.ReadAll(topic);
        var matched = records.Where(selection.Matches).ToList();
        if (matched.Count == 0 && selection != DeadLetterSelection.All)
        {
            var reasons = records.GroupBy(r => r.Reason ?? "(no reason header)").OrderByDescending(g => g.Count()).Take(5).Select(g => $"'{g.Key}' ({g.Count()})");
            throw new DeadLetterInputException(
                $"no record of {topic} matches {selection}; {records.Count} record(s) there" + (records.Count > 0 ? ", reasons: " + string.Join(", ", reasons) : string.Empty));
        }

        var pending = matched.Where(r => !ledger.WasReplayed(r)).ToList();
        var problems = pending.Select(r => r.ReplayProblem ?? OriginProblem(r, topics)).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new DeadLetterInputException(
                $"{problems.Count} selected record(s) cannot be replayed, so nothing was: " + string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? "; …" : string.Empty));
        }

        return new ReplayPlan(topic, selection, pending, matched.Count, topics);
    }

    /// <summary>The partition count of a dead-letter topic, or why the name is wrong.</summary>
    public static int CheckTopic(IReadOnlyDictionary<string, int> topics, string topic)
    {
        var known = topics.Keys.Where(t => t.StartsWith(TopicNames.DeadLetter(string.Empty), StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var list = known.Count == 0 ? "there are none" : "known: " + string.Join(", ", known);
        if (!topic.StartsWith(TopicNames.DeadLetter(string.Empty), StringComparison.Ordinal) || topic.Length == TopicNames.DeadLetter(string.Empty).Length)
        {
            throw new DeadLetterInputException($"--topic '{topic}' is not a dead-letter topic (dlq.<stage>); {list}");
        }

        return topics.TryGetValue(topic, out var partitions)
            ? partitions
            : throw new DeadLetterInputException($"--topic '{topic}' does not exist on the cluster; dead-letter topics: {list}");
    }

    private static string? OriginProblem(DeadLetterRecord record, IReadOnlyDictionary<string, int> topics) =>
        topics.ContainsKey(record.OriginTopic!) ? null : $"{record.Location} came from '{record.OriginTopic}', which does not exist";
}
