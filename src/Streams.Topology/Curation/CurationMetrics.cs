using Streams.Runtime;

namespace Streams.Topology.Curation;

/// <summary>Per-source counts of what the curation did with each raw record.</summary>
public sealed class CurationMetrics
{
    public LabelledCounter Read { get; } = new("curation_records_read_total", "Raw records read, by source");

    public LabelledCounter Curated { get; } = new("curation_records_curated_total", "Curated records written, by source");

    public LabelledCounter Duplicates { get; } = new("curation_duplicates_dropped_total", "Repeats dropped by the dedup window, by source");

    public LabelledCounter DeadLettered { get; } = new("curation_records_dead_lettered_total", "Raw records that could not be curated, by source");

    public LabelledCounter GeoLookups { get; } = new("curation_geo_lookups_total", "Curated records with a client address looked up, by source");

    public LabelledCounter GeoHits { get; } = new("curation_geo_hits_total", "Lookups that found a location or AS, by source");
}
