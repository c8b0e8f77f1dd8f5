using Microsoft.Extensions.Logging;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Geo;

namespace Streams.Topology.Curation;

/// <summary>
/// The topology as a service: the curation on <see cref="KafkaStreams"/>, configured by keys (engine keys as in
/// Kafka Streams, plus schema.registry.url, schema.registry.basic.auth.user.info, curation.sources,
/// curation.timezone, curation.dedup.retention.ms, geoip.city.path, geoip.asn.path). Errors name the key.
/// </summary>
public sealed class CurationHost : IAsyncDisposable
{
    public const string SourcesKey = "curation.sources";
    public const string TimeZoneKey = "curation.timezone";
    public const string DedupRetentionKey = "curation.dedup.retention.ms";
    public const string RegistryUrlKey = "schema.registry.url";
    public const string RegistryAuthKey = "schema.registry.basic.auth.user.info";
    public const string GeoCityKey = "geoip.city.path";
    public const string GeoAsnKey = "geoip.asn.path";

    private static readonly HashSet<string> OwnKeys = [SourcesKey, TimeZoneKey, DedupRetentionKey, RegistryUrlKey, RegistryAuthKey, GeoCityKey, GeoAsnKey];
    private readonly GeoIpEnricher _geo;

    private CurationHost(CurationOptions options, StreamsConfig config, ILoggerFactory? loggers)
    {
        Options = options;
        _geo = options.Geo;
        var registry = AvroSerdes.CreateRegistry(options.Registry);
        Streams = new KafkaStreams(CurationTopology.Build(options, Metrics, registry), config, loggers);
    }

    public CurationOptions Options { get; }

    public CurationMetrics Metrics { get; } = new();

    public KafkaStreams Streams { get; }

    public static CurationHost FromProperties(IReadOnlyDictionary<string, string> properties, ILoggerFactory? loggers = null)
    {
        var registryUrl = properties.GetValueOrDefault(RegistryUrlKey) ?? throw new StreamsConfigException(RegistryUrlKey, "is required (mock://<scope> for an in-process registry)");
        var options = new CurationOptions
        {
            Registry = new SchemaRegistrySettings(registryUrl, properties.GetValueOrDefault(RegistryAuthKey)),
            Sources = Sources(properties),
            LocalTimeZone = Zone(properties),
            DedupRetention = properties.TryGetValue(DedupRetentionKey, out var ms)
                ? (long.TryParse(ms, out var n) && n > 0 ? TimeSpan.FromMilliseconds(n) : throw new StreamsConfigException(DedupRetentionKey, $"'{ms}' must be a positive number of milliseconds"))
                : Dedup.DeduplicationStore.DefaultRetention,
        };
        options = options with { Geo = OpenGeo(properties) };
        var engine = CurationTopology.EngineDefaults(options);
        foreach (var (key, value) in properties.Where(kv => !OwnKeys.Contains(kv.Key)))
        {
            engine[key] = value;
        }

        return new CurationHost(options, StreamsConfig.FromProperties(engine), loggers);
    }

    public ValueTask DisposeAsync()
    {
        var closing = Streams.DisposeAsync();
        _geo.Dispose();
        return closing;
    }

    private static IReadOnlyCollection<string> Sources(IReadOnlyDictionary<string, string> p)
    {
        if (!p.TryGetValue(SourcesKey, out var raw))
        {
            return CurationTopology.AllSources;
        }

        var sources = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = sources.Where(s => !CurationTopology.AllSources.Contains(s)).ToList();
        return unknown.Count == 0 && sources.Length > 0
            ? sources
            : throw new StreamsConfigException(SourcesKey, $"'{raw}' names unknown sources; known: {string.Join(", ", CurationTopology.AllSources)}");
    }

    private static TimeZoneInfo Zone(IReadOnlyDictionary<string, string> p)
    {
        if (!p.TryGetValue(TimeZoneKey, out var id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new StreamsConfigException(TimeZoneKey, $"'{id}' is not a known time zone (use an IANA name such as Europe/Berlin)");
        }
    }

    private static GeoIpEnricher OpenGeo(IReadOnlyDictionary<string, string> p)
    {
        try
        {
            return GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = p.GetValueOrDefault(GeoCityKey), AsnDatabasePath = p.GetValueOrDefault(GeoAsnKey) });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or MaxMind.Db.InvalidDatabaseException)
        {
            throw new StreamsConfigException(p.ContainsKey(GeoCityKey) ? GeoCityKey : GeoAsnKey, "cannot be opened: " + ex.Message);
        }
    }
}
