namespace Streams.Runtime.Topics;

/// <summary>Checks a topics file against the naming convention, the compaction rules and what the code uses.</summary>
public static class TopicsValidator
{
    /// <summary>
    /// Every problem in <paramref name="file"/>, parse errors first, each naming its line.
    /// <paramref name="requiredTopics"/> are the topics the code reads or writes: each must be declared.
    /// </summary>
    public static IReadOnlyList<TopicsError> Validate(TopicsFile file, IEnumerable<string> requiredTopics)
    {
        var errors = new List<TopicsError>(file.ParseErrors);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in file.Topics)
        {
            void Add(string message) => errors.Add(new TopicsError(file.FileName, topic.Line, message));

            if (!firstLine.TryAdd(topic.Name, topic.Line))
            {
                Add($"topic '{topic.Name}' is declared twice (first on line {firstLine[topic.Name]})");
            }

            if (TopicNames.Check(topic.Name) is { } nameProblem)
            {
                Add(nameProblem);
            }

            if (topic.Partitions < 1)
            {
                Add($"topic '{topic.Name}' needs at least 1 partition, not {topic.Partitions}");
            }

            if (topic.ReplicationFactor < 1)
            {
                Add($"topic '{topic.Name}' needs a replication_factor of at least 1, not {topic.ReplicationFactor}");
            }

            if (TopicNames.MustBeCompacted(topic.Name) && !topic.IsCompacted)
            {
                Add($"topic '{topic.Name}' must have 'compact' in cleanup.policy (it has '{string.Join(",", topic.CleanupPolicies)}'): "
                    + "it keeps the latest value per key, and deleting by age would lose positions or state");
            }
        }

        // A missing topic has no line of its own; point at the 'topics' list's end, where it would be added.
        var endLine = file.Topics.Count == 0 ? 1 : file.Topics.Max(t => t.Line);
        foreach (var required in requiredTopics.Distinct(StringComparer.Ordinal).Where(r => !firstLine.ContainsKey(r)))
        {
            errors.Add(new TopicsError(file.FileName, endLine, $"topic '{required}' is used by the code but not declared"));
        }

        return errors;
    }
}
