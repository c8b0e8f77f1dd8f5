using Streams.Runtime;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>Dead letters replayed, counted once their transaction committed.</summary>
public sealed class ReplayMetrics
{
    public LabelledCounter ByStage { get; } = new("streams_dlq_replayed_total", "Dead letters replayed, by stage (the dlq.<stage> topic)");

    public LabelledCounter ByReason { get; } = new("streams_dlq_replayed_by_reason_total", "Dead letters replayed, by the reason they had failed");
}
