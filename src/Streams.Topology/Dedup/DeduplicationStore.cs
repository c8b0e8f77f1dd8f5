using Streams.Runtime.Serdes;
using Streams.Runtime.State;

namespace Streams.Topology.Dedup;

/// <summary>Declares the window store a <see cref="DeduplicationProcessor{TValue}"/> reads and writes.</summary>
public static class DeduplicationStore
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(1);

    /// <summary>Event id → event timestamp, kept for <paramref name="retention"/> (one hour unless given) and logged.</summary>
    public static StoreBuilder Declare(string name, TimeSpan? retention = null) =>
        Stores.Window(name, retention ?? DefaultRetention, Serdes.String, Serdes.Long);
}
