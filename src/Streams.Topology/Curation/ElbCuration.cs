using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Topology.Elb;

namespace Streams.Topology.Curation;

/// <summary>raw.elb: one access log line of an Application, Classic or Network Load Balancer.</summary>
public sealed class ElbCuration : ISourceCuration<ElbRaw, ElbCurated>
{
    public string Source => "elb";

    public CurationOutcome<ElbCurated> Curate(ElbRaw raw) =>
        string.IsNullOrEmpty(raw.text)
            ? CurationOutcome<ElbCurated>.Fail("elb record has no text")
            : Curation.Curate.From(Source, raw.origin, raw.text, Curation.Curate.Ingested(raw.ingested_at), ElbAccessLogParser.Parse(raw.text), e => e.Time, ElbNormaliser.Normalise);
}
