namespace Streams.Runtime.Topics;

/// <summary>What it takes to bring a cluster to the declared topics: changes to make, changes refused, and what could not be compared.</summary>
public sealed class TopicsPlan
{
    private TopicsPlan(IReadOnlyList<TopicChange> changes, IReadOnlyList<RefusedChange> refused, IReadOnlyList<string> notes)
    {
        Changes = changes;
        Refused = refused;
        Notes = notes;
    }

    /// <summary>In the order they are applied: deletions and recreations, creations, partitions, configs.</summary>
    public IReadOnlyList<TopicChange> Changes { get; }

    public IReadOnlyList<RefusedChange> Refused { get; }

    /// <summary>Things the plan could not check, such as configs a cluster does not report.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Nothing to change and nothing refused (notes may remain).</summary>
    public bool IsEmpty => Changes.Count == 0 && Refused.Count == 0;

    public static TopicsPlan Create(IEnumerable<TopicSpec> declared, IEnumerable<ClusterTopic> cluster, bool allowDestructive)
    {
        var existing = cluster.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var wanted = declared.ToList();
        var wantedNames = wanted.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var destructive = new List<TopicChange>();
        var creates = new List<TopicChange>();
        var partitions = new List<TopicChange>();
        var configs = new List<TopicChange>();
        var refused = new List<RefusedChange>();
        var notConfigReadable = new List<string>();

        foreach (var deleted in existing.Keys.Where(n => TopicNames.IsManaged(n) && !wantedNames.Contains(n)).Order(StringComparer.Ordinal))
        {
            if (allowDestructive)
            {
                destructive.Add(new DeleteTopic(deleted));
            }
            else
            {
                refused.Add(new RefusedChange(deleted, "delete", "not declared", "it is in the cluster under a managed prefix but not declared, and deleting it loses its data"));
            }
        }

        foreach (var spec in wanted)
        {
            if (!existing.TryGetValue(spec.Name, out var current))
            {
                creates.Add(new CreateTopic(spec));
                continue;
            }

            var why = RecreateReason(spec, current);
            if (why is not null)
            {
                if (allowDestructive)
                {
                    destructive.Add(new RecreateTopic(spec, why.Value.Detail));
                    continue;
                }

                refused.Add(new RefusedChange(spec.Name, why.Value.Action, why.Value.Detail, why.Value.Reason));
            }
            else if (spec.Partitions > current.Partitions)
            {
                partitions.Add(new IncreasePartitions(spec.Name, current.Partitions, spec.Partitions));
            }

            if (current.Configs is null)
            {
                notConfigReadable.Add(spec.Name);
                continue;
            }

            foreach (var (key, value) in spec.Configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var now = current.Configs.GetValueOrDefault(key);
                if (!SameValue(key, now, value))
                {
                    configs.Add(new AlterConfig(spec.Name, key, now, value));
                }
            }
        }

        var notes = new List<string>();
        if (notConfigReadable.Count > 0)
        {
            notes.Add($"? configs not compared for {notConfigReadable.Count} existing topic(s): the cluster does not report topic configs "
                + $"({string.Join(", ", notConfigReadable)})");
        }

        return new TopicsPlan([.. destructive, .. creates, .. partitions, .. configs], refused, notes);
    }

    /// <summary>cleanup.policy is a list: "delete,compact" and "compact, delete" are the same setting.</summary>
    private static bool SameValue(string key, string? current, string declared) =>
        key == "cleanup.policy" && current is not null
            ? SplitList(current).SetEquals(SplitList(declared))
            : current == declared;

    private static HashSet<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static (string Action, string Detail, string Reason)? RecreateReason(TopicSpec spec, ClusterTopic current)
    {
        if (spec.Partitions < current.Partitions)
        {
            return ("decrease partitions of", $"partitions {current.Partitions} → {spec.Partitions}",
                "decreasing partitions is impossible in Kafka without recreating the topic and losing its data");
        }

        if (spec.ReplicationFactor < current.ReplicationFactor)
        {
            return ("lower the replication factor of", $"rf {current.ReplicationFactor} → {spec.ReplicationFactor}",
                "the admin API cannot drop replicas; only recreating the topic does, and that loses its data");
        }

        if (spec.ReplicationFactor > current.ReplicationFactor)
        {
            return ("raise the replication factor of", $"rf {current.ReplicationFactor} → {spec.ReplicationFactor}",
                "adding replicas needs a partition reassignment, which this tool does not do; recreating the topic loses its data");
        }

        return null;
    }
}
