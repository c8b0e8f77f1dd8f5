using Avro.Specific;

namespace Streams.Topology.Curation;

/// <summary>What one raw record becomes: a curated record keyed by its event id, or the reason it cannot be curated.</summary>
public readonly record struct CurationOutcome<TCurated>(string? EventId, TCurated? Curated, DateTimeOffset EventTime, string? Failure)
    where TCurated : class, ISpecificRecord
{
    public static CurationOutcome<TCurated> Ok(string eventId, TCurated curated, DateTimeOffset eventTime) => new(eventId, curated, eventTime, null);

    public static CurationOutcome<TCurated> Fail(string reason) => new(null, null, default, reason);
}
