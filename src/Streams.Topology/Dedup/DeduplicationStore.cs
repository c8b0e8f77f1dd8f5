using Streams.Runtime.Serdes;
using Streams.Runtime.State;

namespace Streams.Topology.Dedup;

/// <summary>Declares the window store a <see cref="DeduplicationProcessor{TValue}"/> reads and writes.</summary>
public static class DeduplicationStore
{
    /// <summary>
    /// Two days. The window is measured in event time against the stream time of the partition, and sources are not
    /// read in event-time order: S3 lists a day's ELB objects load balancer by load balancer, so a backfill visits
    /// 00:00 of one balancer after 23:59 of another. Records more than the retention behind stream time are no
    /// longer remembered, so the window must span at least a day's prefix.
    /// </summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(2);

    /// <summary>Event id → event timestamp, kept for <paramref name="retention"/> (<see cref="DefaultRetention"/> unless given) and logged.</summary>
    public static StoreBuilder Declare(string name, TimeSpan? retention = null) =>
        Stores.Window(name, retention ?? DefaultRetention, Serdes.String, Serdes.Long);
}
