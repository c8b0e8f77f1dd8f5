namespace Streams.Bench.E2E;

/// <summary>The process's GC collections, pause and allocation so far, and what a phase added to them.</summary>
internal readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
{
    public static GcCounts Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public GcCounts Since(GcCounts before) =>
        new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, Pause - before.Pause, Allocated - before.Allocated);

    public override string ToString() => $"GCs gen0/1/2 {Gen0}/{Gen1}/{Gen2}, pause {Pause.TotalMilliseconds:F0} ms";
}
