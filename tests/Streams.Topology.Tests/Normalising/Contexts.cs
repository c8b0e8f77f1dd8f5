using Streams.Topology.Normalising;

namespace Streams.Topology.Tests.Normalising;

internal static class Contexts
{
    public static readonly DateTimeOffset Ingested = new(2026, 11, 26, 12, 0, 0, 123, TimeSpan.Zero);

    public static CurationContext For(string origin, string eventId = "event-1") => new(origin, eventId, Ingested);
}
