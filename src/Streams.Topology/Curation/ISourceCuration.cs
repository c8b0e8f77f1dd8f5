using Avro.Specific;

namespace Streams.Topology.Curation;

/// <summary>
/// One source's part of the curation: from its raw Avro record to its curated one (parse, fingerprint, normalise).
/// Pure: no Kafka, no clock; the shared steps (redaction, dedup, GeoIP) are applied around it by the topology.
/// A fifth source implements this and adds one line to <see cref="CurationTopology"/>.
/// </summary>
public interface ISourceCuration<in TRaw, TCurated>
    where TRaw : class, ISpecificRecord
    where TCurated : class, ISpecificRecord
{
    /// <summary>The source name: topics raw.&lt;source&gt; and curated.&lt;source&gt;, index curated-&lt;source&gt;-*.</summary>
    string Source { get; }

    CurationOutcome<TCurated> Curate(TRaw raw);
}
