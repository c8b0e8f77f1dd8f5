namespace Streams.Topology.Dedup;

/// <summary>Counts the records the dedup step dropped; tasks run on several threads, so counting is atomic.</summary>
public sealed class DuplicateCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Matches the dedup processor's callback, so <c>counter.Record</c> can be passed to it directly.</summary>
    public void Record(string eventId) => Interlocked.Increment(ref _count);
}
