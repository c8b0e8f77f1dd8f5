using System.Text;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.EndToEnd;

/// <summary>
/// What the pipeline must produce for the finished input files, computed without Kafka, connectors or Elasticsearch:
/// the curation topology run over the same text in the test driver (what <c>streams curate</c> prints).
/// </summary>
/// <param name="ConnectDeadLetters">Entries too large for a Kafka record, which the connectors dead-letter to dlq.connect.</param>
internal sealed record ExpectedOutcome(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> DocumentsPerSource,
    IReadOnlyDictionary<string, int> DeadLettersPerSource,
    int ConnectDeadLetters)
{
    public IEnumerable<string> DocumentIds => DocumentsPerSource.Values.SelectMany(d => d.Keys);

    public static ExpectedOutcome For(PipelineUnderTest pipeline)
    {
        var documents = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var dead = new Dictionary<string, int>(StringComparer.Ordinal);
        var oversized = 0;
        foreach (var (source, path, origin) in new[]
        {
            ("laravel", pipeline.LaravelPath, pipeline.LaravelOrigin),
            ("mongodb", pipeline.MongodbPath, pipeline.MongodbOrigin),
        })
        {
            // One entry a line in these sources: a line over max.record.bytes never reaches the topology.
            var lines = Encoding.UTF8.GetString(File.ReadAllBytes(path)).Split('\n');
            bool TooLarge(string line) => Encoding.UTF8.GetByteCount(line) > Connectors.Framework.SourceConnectorOptions.DefaultMaxRecordBytes;
            oversized += lines.Count(TooLarge);
            var text = string.Join('\n', lines.Where(l => !TooLarge(l)));
            var (docs, deadLetters) = OfflineCuration.Run(source, text, origin, DateTime.UtcNow, GeoIpEnricher.Disabled, TimeZoneInfo.Utc);
            documents[source] = docs.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            dead[source] = deadLetters.Count;
        }

        return new ExpectedOutcome(documents, dead, oversized);
    }
}
