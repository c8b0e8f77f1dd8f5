using Avro.Specific;
using Confluent.SchemaRegistry;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Runtime.Serdes;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Dedup;

namespace Streams.Topology.Curation;

/// <summary>
/// raw.&lt;source&gt; → curate (parse, fingerprint, normalise, redact; or dlq.topology) → dedup (windowed, logged store)
/// → GeoIP → curated.&lt;source&gt;, one sub-topology per source so sources never wait on each other.
/// </summary>
public static class CurationTopology
{
    public static readonly IReadOnlyList<string> AllSources = ["mysql", "mongodb", "laravel", "elb"];

    public static Runtime.Topology Build(CurationOptions options, CurationMetrics metrics, ISchemaRegistryClient registry)
    {
        var builder = new TopologyBuilder();
        var redactor = new CuratedRedactor(options.Redactor);
        foreach (var source in options.Sources)
        {
            switch (source)
            {
                case "mysql":
                    Add(builder, new MysqlCuration(options.LocalTimeZone), options, metrics, registry, redactor);
                    break;
                case "mongodb":
                    Add(builder, new MongodbCuration(), options, metrics, registry, redactor);
                    break;
                case "laravel":
                    Add(builder, new LaravelCuration(options.LocalTimeZone), options, metrics, registry, redactor);
                    break;
                case "elb":
                    Add(builder, new ElbCuration(), options, metrics, registry, redactor);
                    break;
                default:
                    throw new ArgumentException($"unknown source '{source}'; known: {string.Join(", ", AllSources)}", nameof(options));
            }
        }

        return builder.Build();
    }

    /// <summary>The engine settings the curation needs on top of the deployment's: exactly-once and the DLQ.</summary>
    public static Dictionary<string, string> EngineDefaults(CurationOptions options) => new()
    {
        [StreamsConfig.ApplicationIdKey] = CurationOptions.DefaultApplicationId,
        [StreamsConfig.ProcessingGuaranteeKey] = "exactly_once_v2",
        [StreamsConfig.DeserializationHandlerKey] = "continue-to-dlq",
        [StreamsConfig.ProcessingHandlerKey] = "continue-to-dlq",
        [StreamsConfig.DeadLetterTopicKey] = options.DeadLetterTopic,
    };

    private static void Add<TRaw, TCurated>(
        TopologyBuilder builder,
        ISourceCuration<TRaw, TCurated> curation,
        CurationOptions options,
        CurationMetrics metrics,
        ISchemaRegistryClient registry,
        CuratedRedactor redactor)
        where TRaw : class, ISpecificRecord
        where TCurated : class, ISpecificRecord
    {
        var s = curation.Source;
        var raw = AvroSerdes.Specific<TRaw>(registry, options.Registry);
        var curated = AvroSerdes.Specific<TCurated>(registry, options.Registry);
        var store = CurationOptions.DedupStore(s);
        builder
            .AddSource($"{s}-raw", Serdes.String.Deserializer, raw.Deserializer, null, CurationOptions.RawTopic(s))
            .AddProcessor($"{s}-curate", () => new CurateProcessor<TRaw, TCurated>(curation, redactor, metrics, options.RejectRule), $"{s}-raw")
            .AddProcessor($"{s}-dedup", () => new DeduplicationProcessor<TCurated>(store, _ => metrics.Duplicates.Increment(s)), $"{s}-curate")
            .AddStateStore(DeduplicationStore.Declare(store, options.DedupRetention), $"{s}-dedup")
            .AddProcessor($"{s}-geo", () => new GeoEnrichProcessor<TCurated>(options.Geo, s, metrics), $"{s}-dedup")
            .AddSink($"{s}-curated", CurationOptions.CuratedTopic(s), Serdes.String.Serializer, curated.Serializer, $"{s}-geo");
    }
}
