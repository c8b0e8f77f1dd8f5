using System.Text;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.EndToEnd;

/// <summary>
/// What the pipeline must produce for the finished input files, computed without Kafka, connectors or Elasticsearch:
/// the curation topology run over the same text in the test driver (what <c>streams curate</c> prints).
/// </summary>
internal sealed record ExpectedOutcome(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> DocumentsPerSource,
    IReadOnlyDictionary<string, int> DeadLettersPerSource)
{
    public IEnumerable<string> DocumentIds => DocumentsPerSource.Values.SelectMany(d => d.Keys);

    public static ExpectedOutcome For(PipelineUnderTest pipeline)
    {
        var documents = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var dead = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (source, path, origin) in new[]
        {
            ("laravel", pipeline.LaravelPath, pipeline.LaravelOrigin),
            ("mongodb", pipeline.MongodbPath, pipeline.MongodbOrigin),
        })
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
            var (docs, deadLetters) = OfflineCuration.Run(source, text, origin, DateTime.UtcNow, GeoIpEnricher.Disabled, TimeZoneInfo.Utc);
            documents[source] = docs.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            dead[source] = deadLetters.Count;
        }

        return new ExpectedOutcome(documents, dead);
    }
}
