using Streams.Connectors.Elasticsearch;
using Streams.Runtime;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Hosting.Metrics;

/// <summary>Bridges of the metrics objects the engine, the curation and the sink keep into a <see cref="MetricsRegistry"/>.</summary>
public static class ServiceMetrics
{
    /// <summary>The engine's records (processed, and committed), commits (with their latency), restoration, lag per input partition and store sizes.</summary>
    public static MetricsRegistry AddEngine(this MetricsRegistry registry, KafkaStreams streams)
    {
        var m = streams.Metrics;
        return registry
            .Counter(m.RecordsProcessed, "task")
            .Counter(m.RecordsDeadLettered, "stage")
            .Counter(m.Commits, "thread")
            .Counter(m.RecordsCommitted, "thread")
            .Histogram(m.CommitLatency)
            .Counter(m.TaskMigrations, "cause")
            .Counter(m.RestoredRecords, "changelog")
            .Gauge(m.ConsumerLag, "topic", "partition")
            .Gauge(m.StoreEntries, "store", "task")
            .Gauge("streams_restoring_tasks", "Assigned tasks still restoring their stores", () => streams.RestoringTasks)
            .Gauge("streams_ready", "1 when every thread is assigned, restored and running", () => streams.IsReady ? 1 : 0);
    }

    /// <summary>Per source: records in (read), out (curated), dropped (duplicates) and dead-lettered; GeoIP lookups and cache use.</summary>
    public static MetricsRegistry AddCuration(this MetricsRegistry registry, CurationMetrics metrics, GeoIpEnricher geo) => registry
        .Counter(metrics.Read, "source")
        .Counter(metrics.Curated, "source")
        .Counter(metrics.Duplicates, "source")
        .Counter(metrics.DeadLettered, "source")
        .Counter(metrics.GeoLookups, "source")
        .Counter(metrics.GeoHits, "source")
        .Counter("curation_geo_cache_hits_total", "GeoIP lookups answered from the cache", () => geo.CacheHits)
        .Counter("curation_geo_cache_misses_total", "GeoIP lookups that went to the database", () => geo.CacheMisses)
        .Gauge("curation_geo_cache_hit_ratio", "Share of GeoIP lookups answered from the cache since start (0 before any)", () => HitRatio(geo.CacheHits, geo.CacheMisses))
        .Gauge("curation_geo_cache_entries", "Addresses held in the GeoIP cache", () => geo.CacheCount);

    /// <summary>The sink's documents, dead letters, lag per curated partition and, writing to Elasticsearch, bulk latency and refusals by type.</summary>
    public static MetricsRegistry AddSink(this MetricsRegistry registry, SinkHost host)
    {
        var sink = host.Sink;
        registry
            .Counter("sink_documents_written_total", "Documents written or found already written", () => sink.DocumentsWritten)
            .Counter("sink_records_dead_lettered_total", "Records sent to the sink's dead-letter topic", () => sink.RecordsDeadLettered)
            .Gauge("sink_records_in_flight", "Records read and not yet written or dead-lettered", () => sink.RecordsInFlight)
            .Gauge("sink_assigned_partitions", "Curated partitions this member owns", () => sink.AssignedPartitions)
            .Gauge(sink.ConsumerLag, "topic", "partition");
        if (host.Target is BulkIndexer bulk)
        {
            registry
                .Histogram(bulk.BulkLatency)
                .Counter(bulk.ItemFailures, "type")
                .Counter("sink_bulk_requests_total", "_bulk requests sent, retries included", () => bulk.BulkRequestsSent);
        }

        return registry;
    }

    internal static double HitRatio(long hits, long misses) => hits + misses == 0 ? 0 : (double)hits / (hits + misses);
}
