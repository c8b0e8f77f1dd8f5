namespace Streams.Runtime.Topics;

/// <summary>One step of a plan; <see cref="ToString"/> is the line a plan prints.</summary>
public abstract record TopicChange(string Topic);

public sealed record CreateTopic(TopicSpec Spec) : TopicChange(Spec.Name)
{
    public override string ToString() => $"+ create {Topic} ({Spec.Partitions} partition{(Spec.Partitions == 1 ? "" : "s")}, rf {Spec.ReplicationFactor})";
}

public sealed record IncreasePartitions(string Topic, int From, int To) : TopicChange(Topic)
{
    public override string ToString() => $"~ partitions {Topic} {From} → {To}";
}

/// <summary>Sets one config; <see cref="From"/> is null when the cluster has no value for it.</summary>
public sealed record AlterConfig(string Topic, string Key, string? From, string To) : TopicChange(Topic)
{
    public override string ToString() => $"~ config {Topic} {Key} {From ?? "(unset)"} → {To}";
}

public sealed record DeleteTopic(string Topic) : TopicChange(Topic)
{
    public override string ToString() => $"- delete {Topic} (its data is lost)";
}

/// <summary>Delete then create: the only way to shrink partitions or change the replication factor here.</summary>
public sealed record RecreateTopic(TopicSpec Spec, string Why) : TopicChange(Spec.Name)
{
    public override string ToString() => $"-/+ recreate {Topic} ({Why}; its data is lost)";
}

/// <summary>A change the plan will not make without allowDestructive, and why.</summary>
public sealed record RefusedChange(string Topic, string Action, string Detail, string Reason)
{
    public override string ToString() => $"! refused: {Action} {Topic} ({Detail}): {Reason} (--allow-destructive permits it)";
}
