using Streams.Contracts.Curated;

namespace Streams.Topology.Normalising;

/// <summary>The parts every curated record fills the same way, whatever its source.</summary>
internal static class CuratedEvents
{
    /// <summary>The label that keeps the raw record's origin (its Kafka key) on the document.</summary>
    public const string OriginLabel = "origin";

    /// <summary>Set when the source gave no event time and @timestamp fell back to event.ingested.</summary>
    public const string TimestampFallbackLabel = "timestamp_from";

    public static Event Event(
        CurationContext context,
        string dataset,
        string module,
        IList<string> categories,
        IList<string> types,
        string? outcome = null,
        long? durationNanos = null) => new()
        {
            id = context.EventId,
            kind = Ecs.KindEvent,
            // Lists, not the callers' arrays: later steps may add values, and an array cannot grow.
            category = [.. categories],
            type = [.. types],
            outcome = outcome,
            dataset = dataset,
            module = module,
            duration = durationNanos,
            ingested = context.Ingested.UtcDateTime,
        };

    public static Dictionary<string, string> Labels(CurationContext context, bool timestampFromIngested = false)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(context.Origin))
        {
            labels[OriginLabel] = context.Origin;
        }

        if (timestampFromIngested)
        {
            labels[TimestampFallbackLabel] = "ingested";
        }

        return labels;
    }

    /// <summary>The UTC instant as Avro's timestamp types hold it.</summary>
    public static DateTime Utc(DateTimeOffset time) => time.UtcDateTime;

    public static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>A record that would carry nothing is left null rather than written as an empty object.</summary>
    public static Source? Source(string? ip, int? port, string? address)
    {
        ip = IpAddresses.OrNull(ip);
        address = NullIfEmpty(address);
        return ip is null && port is null && address is null ? null : new Source { ip = ip, port = port, address = address };
    }

    public static User? User(string? name) => string.IsNullOrEmpty(name) ? null : new User { name = name };

    public static Log? Log(string? level, string? logger = null) =>
        level is null && logger is null ? null : new Log { level = level, logger = logger };
}
