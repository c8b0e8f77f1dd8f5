namespace Streams.Topology.Normalising;

/// <summary>What a normaliser needs besides the parsed entry: where the raw record came from and who names it.</summary>
/// <param name="Origin">The raw record's origin (server, file or bucket; also its Kafka key), kept as labels.origin.</param>
/// <param name="EventId">The caller's stable id of this event (event.id, the Elasticsearch _id).</param>
/// <param name="Ingested">When the connector read the raw record (event.ingested).</param>
public sealed record CurationContext(string Origin, string EventId, DateTimeOffset Ingested);
