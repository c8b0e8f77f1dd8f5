using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Avro.Generic;
using Avro.IO;
using Confluent.SchemaRegistry;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// A dead letter's original bytes, decoded as far as possible: how (avro, text, binary, empty), the result, and a
/// preview: the log line a raw record carries in its <c>text</c> field, else the result.
/// </summary>
public sealed record DecodedBytes(string Kind, string Text, int? SchemaId = null, string? LogText = null)
{
    public string Preview => LogText ?? Text;
}

/// <summary>
/// Decodes original key or value bytes: Confluent's wire format (magic byte 0, a 4-byte schema id, the Avro body)
/// through the schema registry into JSON; UTF-8 text as it is; anything else as base64. Never throws on data.
/// </summary>
public sealed class OriginalDecoder(ISchemaRegistryClient? registry)
{
    private readonly Dictionary<int, Avro.Schema?> _schemas = [];

    public DecodedBytes Decode(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return new DecodedBytes("empty", string.Empty);
        }

        if (bytes.Length >= 5 && bytes[0] == 0)
        {
            var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
            if (registry is null)
            {
                return new DecodedBytes("avro", $"(schema id {id}; give --schema-registry-url to decode) " + Convert.ToBase64String(bytes), id);
            }

            if (Schema(id) is { } schema)
            {
                try
                {
                    var value = new GenericDatumReader<object>(schema, schema).Read(null!, new BinaryDecoder(new MemoryStream(bytes, 5, bytes.Length - 5)));
                    var line = value is GenericRecord { Schema: var rs } record && rs.TryGetField("text", out var f) ? record.GetValue(f.Pos) as string : null;
                    return new DecodedBytes("avro", Json(value), id, string.IsNullOrEmpty(line) ? null : line);
                }
                catch (Exception ex) when (ex is Avro.AvroException or EndOfStreamException or IOException or InvalidCastException or ArgumentException)
                {
                    return new DecodedBytes("binary", $"(not readable with schema id {id}: {ex.Message}) " + Convert.ToBase64String(bytes), id);
                }
            }

            return new DecodedBytes("binary", $"(schema id {id} is unknown to the registry) " + Convert.ToBase64String(bytes), id);
        }

        try
        {
            return new DecodedBytes("text", new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            return new DecodedBytes("binary", Convert.ToBase64String(bytes));
        }
    }

    private Avro.Schema? Schema(int id)
    {
        if (!_schemas.TryGetValue(id, out var schema))
        {
            try
            {
                schema = Avro.Schema.Parse(registry!.GetSchemaAsync(id).GetAwaiter().GetResult().SchemaString);
            }
            catch (Exception ex) when (ex is SchemaRegistryException or KeyNotFoundException or HttpRequestException or Avro.SchemaParseException or AggregateException or InvalidOperationException)
            {
                schema = null;
            }

            _schemas[id] = schema;
        }

        return schema;
    }

    private static string Json(object? value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Contracts.Documents.EcsDocumentWriter.Encoder }))
        {
            Write(json, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case GenericRecord record:
                json.WriteStartObject();
                foreach (var field in record.Schema.Fields)
                {
                    json.WritePropertyName(field.Name);
                    Write(json, record.GetValue(field.Pos));
                }

                json.WriteEndObject();
                break;
            case GenericEnum symbol:
                json.WriteStringValue(symbol.Value);
                break;
            case GenericFixed fixedValue:
                json.WriteBase64StringValue(fixedValue.Value);
                break;
            case byte[] raw:
                json.WriteBase64StringValue(raw);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or float or double or decimal:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case DateTime time:
                json.WriteStringValue(DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
                break;
            case IDictionary map:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    Write(json, entry.Value);
                }

                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    Write(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
