using System.Text;
using System.Text.Json;
using Streams.Contracts.Documents;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Cli.Commands;

/// <summary>
/// `streams curate`: prints each curated event as the sink would index it ({"_index", "_id", "_source"}) and each
/// dead letter to the error stream ({"reason", "stage", "original"}), one JSON object a line.
/// </summary>
internal sealed class CurateRunner(TextWriter output, TextWriter errors)
{
    public int Run(string kind, string text, string origin, GeoIpEnricher geo, TimeZoneInfo timeZone)
    {
        var (documents, dead) = OfflineCuration.Run(kind, text, origin, DateTime.UtcNow, geo, timeZone);
        foreach (var doc in documents)
        {
            output.WriteLine(Line(json =>
            {
                json.WriteString("_index", doc.Index);
                json.WriteString("_id", doc.Id);
                json.WritePropertyName("_source");
                json.WriteRawValue(doc.Source, skipInputValidation: true);
            }));
        }

        foreach (var letter in dead)
        {
            errors.WriteLine(Line(json =>
            {
                json.WriteString("reason", letter.Reason);
                json.WriteString("stage", letter.Stage);
                json.WriteString("original", letter.Original);
            }));
        }

        return 0;
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EcsDocumentWriter.Encoder }))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
