namespace Streams.Runtime.Topics;

/// <summary>One declared topic with the file's defaults already applied; <see cref="Line"/> is where it is declared.</summary>
public sealed record TopicSpec(string Name, int Partitions, int ReplicationFactor, IReadOnlyDictionary<string, string> Configs, int Line)
{
    /// <summary>The cleanup.policy values (Kafka's default is delete).</summary>
    public IReadOnlyList<string> CleanupPolicies =>
        Configs.TryGetValue("cleanup.policy", out var policy)
            ? policy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ["delete"];

    public bool IsCompacted => CleanupPolicies.Contains("compact");
}
