using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Geo;
using Streams.Topology.Redaction;

namespace Streams.Topology.Curation;

/// <summary>What the curation topology needs to know; topic names default to the convention of topics.yaml.</summary>
public sealed record CurationOptions
{
    public const string DefaultApplicationId = "streams-curation";

    public SchemaRegistrySettings Registry { get; init; } = new("mock://streams");

    /// <summary>The zone of sources that log local time without an offset (Laravel, MySQL log files).</summary>
    public TimeZoneInfo LocalTimeZone { get; init; } = TimeZoneInfo.Utc;

    public TimeSpan DedupRetention { get; init; } = Dedup.DeduplicationStore.DefaultRetention;

    public GeoIpEnricher Geo { get; init; } = GeoIpEnricher.Disabled;

    public SecretRedactor Redactor { get; init; } = SecretRedactor.Default;

    public string DeadLetterTopic { get; init; } = "dlq.topology";

    /// <summary>The sources to curate; all four by default.</summary>
    public IReadOnlyCollection<string> Sources { get; init; } = CurationTopology.AllSources;

    /// <summary>
    /// A rule checked before a source's parser: a reason dead-letters the record as the parser would. Null in
    /// service; tests stand in for an older parser version with it (lines it rejects, a later version accepts).
    /// </summary>
    public Func<string, Avro.Specific.ISpecificRecord, string?>? RejectRule { get; init; }

    public static string RawTopic(string source) => "raw." + source;

    public static string CuratedTopic(string source) => "curated." + source;

    public static string DedupStore(string source) => "dedup-" + source;
}
