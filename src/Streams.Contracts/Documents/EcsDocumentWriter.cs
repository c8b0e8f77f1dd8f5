using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Avro;
using Avro.Specific;

namespace Streams.Contracts.Documents;

/// <summary>
/// Renders a curated record as the nested JSON document Elasticsearch indexes, walking its Avro schema (any
/// curated type, no per-type code) with the one naming rule of <see cref="EcsNames"/>: nested records become
/// objects, nulls and records with nothing in them are left out, maps become objects keyed by their keys,
/// timestamps are ISO-8601 UTC with microseconds, enums are their symbol, numbers stay numbers.
/// </summary>
public static class EcsDocumentWriter
{
    /// <summary>
    /// Only what JSON itself requires is escaped: the document goes to Elasticsearch, never into HTML, and
    /// non-ASCII text stays readable in logs and snapshots.
    /// </summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly JsonWriterOptions Options = new() { Encoder = Encoder, SkipValidation = true };

    /// <summary>Appends the document of <paramref name="record"/> as UTF-8 JSON to <paramref name="output"/>.</summary>
    public static void Write(ISpecificRecord record, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, Options);
        Write(record, json);
        json.Flush();
    }

    /// <summary>Writes the document of <paramref name="record"/> as one JSON object value.</summary>
    public static void Write(ISpecificRecord record, Utf8JsonWriter json)
    {
        if (record.Schema is not RecordSchema schema)
        {
            throw new ArgumentException($"{record.GetType().Name} has no record schema", nameof(record));
        }

        json.WriteStartObject();
        WriteFields(record, EcsRecordPlan.For(schema), json);
        json.WriteEndObject();
    }

    /// <summary>The document as UTF-8 bytes.</summary>
    public static byte[] ToUtf8(ISpecificRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The document as a string (tests, the CLI).</summary>
    public static string ToJson(ISpecificRecord record) => System.Text.Encoding.UTF8.GetString(ToUtf8(record));

    /// <summary>ISO-8601 UTC with exactly six fraction digits: 2026-11-22T16:13:34.073196Z.</summary>
    public static string FormatTimestamp(DateTime time) =>
        AsUtc(time).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static void WriteFields(ISpecificRecord record, EcsRecordPlan plan, Utf8JsonWriter json)
    {
        foreach (var field in plan.Fields)
        {
            var value = record.Get(field.Position);
            if (HasContent(value, field.Value))
            {
                json.WritePropertyName(field.Name);
                WriteValue(value!, field.Value, json);
            }
        }
    }

    /// <summary>Whether a value writes anything: not null, not a NaN, not an empty record, array or map.</summary>
    private static bool HasContent(object? value, EcsValuePlan plan)
    {
        switch (value)
        {
            case null:
                return false;
            case double number:
                return double.IsFinite(number);
            case float number:
                return float.IsFinite(number);
            case ISpecificRecord nested when plan.Kind == EcsValueKind.Record:
                foreach (var field in plan.Record.Fields)
                {
                    if (HasContent(nested.Get(field.Position), field.Value))
                    {
                        return true;
                    }
                }

                return false;
            case string:
                return true;
            case ICollection collection:
                return collection.Count > 0;
            default:
                return true;
        }
    }

    private static void WriteValue(object value, EcsValuePlan plan, Utf8JsonWriter json)
    {
        switch (plan.Kind)
        {
            case EcsValueKind.Record when value is ISpecificRecord nested:
                json.WriteStartObject();
                WriteFields(nested, plan.Record, json);
                json.WriteEndObject();
                break;
            case EcsValueKind.Timestamp when value is DateTime time:
                WriteTimestamp(time, json);
                break;
            case EcsValueKind.Array when value is IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    if (HasContent(item, plan.Items!))
                    {
                        WriteValue(item!, plan.Items!, json);
                    }
                }

                json.WriteEndArray();
                break;
            case EcsValueKind.Map when value is IDictionary map:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    if (HasContent(entry.Value, plan.Items!))
                    {
                        json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        WriteValue(entry.Value!, plan.Items!, json);
                    }
                }

                json.WriteEndObject();
                break;
            default:
                WriteScalar(value, json);
                break;
        }
    }

    private static void WriteScalar(object value, Utf8JsonWriter json)
    {
        switch (value)
        {
            case string text:
                json.WriteStringValue(text);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            case float number:
                json.WriteNumberValue(number);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case DateTime time:
                WriteTimestamp(time, json);
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case ISpecificRecord nested:
                Write(nested, json);
                break;
            default:
                // Enums (generated C# enums or GenericEnum) and anything else: their text form.
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteTimestamp(DateTime time, Utf8JsonWriter json)
    {
        Span<char> text = stackalloc char[32];
        AsUtc(time).TryFormat(text, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        json.WriteStringValue(text[..written]);
    }

    /// <summary>Avro hands timestamps back as UTC; an unspecified kind is taken as UTC too, never as local time.</summary>
    private static DateTime AsUtc(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
