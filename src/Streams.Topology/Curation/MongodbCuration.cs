using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Topology.Mongodb;

namespace Streams.Topology.Curation;

/// <summary>raw.mongodb: one mongod log line (JSON of 4.4+ or legacy text) or a logs-collection document.</summary>
public sealed class MongodbCuration(MongodbCtimeContext? ctime = null) : ISourceCuration<MongodbRaw, MongodbCurated>
{
    public string Source => "mongodb";

    public CurationOutcome<MongodbCurated> Curate(MongodbRaw raw) =>
        string.IsNullOrEmpty(raw.text)
            ? CurationOutcome<MongodbCurated>.Fail("mongodb record has no text")
            : Curation.Curate.From(Source, raw.origin, raw.text, Curation.Curate.Ingested(raw.ingested_at), MongodbLogParser.Parse(raw.text, ctime), e => e.Timestamp, MongodbNormaliser.Normalise);
}
