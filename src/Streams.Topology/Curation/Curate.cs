using Avro.Specific;
using Streams.Topology.Dedup;
using Streams.Topology.Normalising;
using Streams.Topology.Parsing;

namespace Streams.Topology.Curation;

/// <summary>The shape every source's curation shares: parse, then fingerprint, then normalise.</summary>
internal static class Curate
{
    /// <param name="content">What identifies the event besides source, origin and time: the entry as read.</param>
    /// <param name="ingested">When the connector read it; the event time when the source gave none.</param>
    public static CurationOutcome<TCurated> From<TParsed, TCurated>(
        string source,
        string origin,
        string content,
        DateTimeOffset ingested,
        ParseResult<TParsed> parsed,
        Func<TParsed, DateTimeOffset?> eventTime,
        Func<TParsed, CurationContext, TCurated> normalise)
        where TParsed : class
        where TCurated : class, ISpecificRecord
    {
        if (parsed.Value is not { } entry)
        {
            return CurationOutcome<TCurated>.Fail(parsed.Error ?? "unparseable");
        }

        var time = eventTime(entry) ?? ingested;
        var id = EventFingerprint.Compute(source, origin, time, content);
        return CurationOutcome<TCurated>.Ok(id, normalise(entry, new CurationContext(origin, id, ingested)), time);
    }

    public static DateTimeOffset Ingested(DateTime ingestedAt) => new(DateTime.SpecifyKind(ingestedAt, DateTimeKind.Utc));
}
