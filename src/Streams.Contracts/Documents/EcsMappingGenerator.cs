using System.Buffers;
using System.Text;
using System.Text.Json;
using Avro;

namespace Streams.Contracts.Documents;

/// <summary>
/// The "mappings" object of a composable index template for a curated schema: every field the renderer can
/// write, typed for Elasticsearch (<see cref="EcsFieldTypes"/> holds the exceptions to the Avro types), with
/// dynamic "strict" on every known object so a field missing here fails loudly instead of being guessed.
/// Properties are sorted by name, so the output is stable and can be compared byte for byte.
/// </summary>
public static class EcsMappingGenerator
{
    /// <summary>The mappings JSON of a curated record schema, indented with "\n" line ends on every platform.</summary>
    public static string Generate(RecordSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EcsDocumentWriter.Encoder, Indented = true, NewLine = "\n" }))
        {
            Write(schema, json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the mappings object of a curated record schema.</summary>
    public static void Write(RecordSchema schema, Utf8JsonWriter json)
    {
        var maps = new List<(string Path, Schema Values)>();
        json.WriteStartObject();
        json.WriteString("dynamic", "strict");
        json.WritePropertyName("properties");
        WriteProperties(schema, prefix: "", json, maps);
        if (maps.Count > 0)
        {
            // Map keys (labels.*) are only known at index time: a template types them as their values.
            json.WriteStartArray("dynamic_templates");
            foreach (var (path, values) in maps)
            {
                json.WriteStartObject();
                json.WriteStartObject(path);
                json.WriteString("path_match", path + ".*");
                json.WritePropertyName("mapping");
                WriteLeaf(path + ".*", LastSegment(path), values, json, maps: null);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteProperties(RecordSchema record, string prefix, Utf8JsonWriter json, List<(string, Schema)> maps)
    {
        json.WriteStartObject();
        foreach (var field in record.Fields.OrderBy(EcsNames.SegmentOf, StringComparer.Ordinal))
        {
            var segment = EcsNames.SegmentOf(field);
            json.WritePropertyName(segment);
            WriteLeaf(prefix + segment, segment, EcsSchemas.UnwrapNullable(field.Schema), json, maps);
        }

        json.WriteEndObject();
    }

    private static void WriteLeaf(string path, string segment, Schema schema, Utf8JsonWriter json, List<(string, Schema)>? maps)
    {
        json.WriteStartObject();
        switch (schema)
        {
            case RecordSchema point when EcsSchemas.IsGeoPoint(point):
                json.WriteString("type", "geo_point");
                break;
            case RecordSchema nested:
                json.WriteString("dynamic", "strict");
                json.WritePropertyName("properties");
                WriteProperties(nested, path + ".", json, maps ?? []);
                break;
            case MapSchema map:
                json.WriteString("type", "object");
                json.WriteBoolean("dynamic", true);
                maps?.Add((path, EcsSchemas.UnwrapNullable(map.ValueSchema)));
                break;
            case ArraySchema array:
                // Elasticsearch has no array type: an array is many values of its item type.
                WriteLeafBody(path, segment, EcsSchemas.UnwrapNullable(array.ItemSchema), json);
                break;
            default:
                WriteLeafBody(path, segment, schema, json);
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteLeafBody(string path, string segment, Schema schema, Utf8JsonWriter json)
    {
        if (schema is LogicalSchema logical)
        {
            if (EcsSchemas.IsTimestamp(logical))
            {
                json.WriteString("type", "date");
                return;
            }

            schema = logical.BaseSchema;
        }

        switch (schema.Tag)
        {
            case Schema.Type.Long or Schema.Type.Int:
                json.WriteString("type", "long");
                break;
            case Schema.Type.Double or Schema.Type.Float:
                json.WriteString("type", "double");
                break;
            case Schema.Type.Boolean:
                json.WriteString("type", "boolean");
                break;
            case Schema.Type.Bytes or Schema.Type.Fixed:
                json.WriteString("type", "binary");
                break;
            default:
                WriteStringMapping(path, segment, json);
                break;
        }
    }

    private static void WriteStringMapping(string path, string segment, Utf8JsonWriter json)
    {
        if (EcsFieldTypes.FullText.TryGetValue(path, out var withKeyword))
        {
            json.WriteString("type", "text");
            if (withKeyword)
            {
                json.WriteStartObject("fields");
                json.WriteStartObject("keyword");
                json.WriteString("type", "keyword");
                json.WriteNumber("ignore_above", EcsFieldTypes.IgnoreAbove);
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }
        else if (EcsFieldTypes.StoredOnly.Contains(path))
        {
            json.WriteString("type", "keyword");
            json.WriteBoolean("index", false);
            json.WriteBoolean("doc_values", false);
        }
        else if (EcsFieldTypes.IsIp(segment))
        {
            json.WriteString("type", "ip");
        }
        else
        {
            json.WriteString("type", "keyword");
            json.WriteNumber("ignore_above", EcsFieldTypes.IgnoreAbove);
        }
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];
}
