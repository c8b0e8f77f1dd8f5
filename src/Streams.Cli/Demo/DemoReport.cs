namespace Streams.Cli.Demo;

/// <summary>What one source's records became, counted from the topics after the run.</summary>
/// <param name="Read">Raw records the connectors committed to raw.&lt;source&gt;.</param>
/// <param name="Curated">Records on curated.&lt;source&gt;.</param>
/// <param name="Duplicates">Records the dedup step dropped.</param>
/// <param name="DeadLettered">Records on dlq.topology that came from raw.&lt;source&gt;.</param>
/// <param name="TopReasons">The most frequent dead-letter reasons, most frequent first.</param>
/// <param name="GeoLookups">Curated records with a client address looked up.</param>
/// <param name="GeoHits">Lookups that found a location or an AS.</param>
internal sealed record SourceSummary(
    string Source,
    long Read,
    long Curated,
    long Duplicates,
    long DeadLettered,
    IReadOnlyList<ReasonCount> TopReasons,
    long GeoLookups,
    long GeoHits)
{
    public double? GeoHitRate => GeoLookups == 0 ? null : (double)GeoHits / GeoLookups;

    /// <summary>Every record read is accounted for: curated, dropped as a duplicate, or dead-lettered.</summary>
    public bool Balanced => Read == Curated + Duplicates + DeadLettered;
}

internal sealed record ReasonCount(string Reason, long Count);

/// <summary>The outcome of a demo run.</summary>
/// <param name="DocumentsPerIndex">Documents in each daily index (from the NDJSON files or Elasticsearch).</param>
/// <param name="SinkDeadLettered">Documents the sink could not index (dlq.sink).</param>
internal sealed record DemoReport(
    IReadOnlyList<SourceSummary> Sources,
    IReadOnlyDictionary<string, long> DocumentsPerIndex,
    long SinkDeadLettered,
    string Target,
    TimeSpan Elapsed);

/// <summary>Where a running demo stands, for the live view.</summary>
internal sealed record DemoProgress(string Phase, IReadOnlyList<SourceProgress> Sources, long Indexed, TimeSpan Elapsed);

internal sealed record SourceProgress(string Source, long Read, long Curated, long Duplicates, long DeadLettered);
