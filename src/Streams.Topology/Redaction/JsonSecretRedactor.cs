using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Streams.Topology.Redaction;

/// <summary>
/// Rewrites a JSON document with the scalar values under sensitive keys (at any depth) replaced by "REDACTED",
/// and free-text secrets masked inside the other strings. Text that is not one valid JSON value comes back unchanged.
/// </summary>
internal sealed class JsonSecretRedactor(SensitiveNames names, TextSecretRedactor text)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip };

    // Keep non-ASCII text as it is; the output is read by Elasticsearch, not embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 256 };

    // Output buffers above this are not kept for the thread's next document.
    private const int KeptScratchBytes = 64 * 1024;

    // Per thread, the output buffer and the writer over it, reused from one document to the next: a redactor runs
    // once per JSON field of a record that may hold a secret, and new ones cost an array and a writer each time.
    [ThreadStatic]
    private static Scratch? t_scratch;

    public string Redact(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return json;
        }

        var scratch = t_scratch ??= new Scratch();
        var output = scratch.Output;
        output.ResetWrittenCount();
        var writer = scratch.Writer;

        // Also clears what a document that failed half-way left in the writer.
        writer.Reset(output);
        var input = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(input.AsSpan(0, Encoding.UTF8.GetBytes(json, input)), ReaderOptions);
            var changed = Copy(ref reader, writer);
            writer.Flush();

            // Unchanged documents keep their original spacing and escapes.
            return changed ? Encoding.UTF8.GetString(output.WrittenSpan) : json;
        }
        catch (JsonException)
        {
            return json;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (output.Capacity > KeptScratchBytes)
            {
                t_scratch = null;
            }
        }
    }

    private sealed class Scratch
    {
        public Scratch() => Writer = new Utf8JsonWriter(Output, WriterOptions);

        public ArrayBufferWriter<byte> Output { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }
    }

    private bool Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        var changed = false;
        // The depth at which a sensitive property's value starts; everything inside it is masked.
        var maskedFromDepth = -1;
        var maskNext = false;
        while (reader.Read())
        {
            var masking = maskedFromDepth >= 0 || maskNext;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    writer.WritePropertyName(name);
                    maskNext = maskedFromDepth < 0 && names.IsSensitive(name);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (maskNext)
                    {
                        maskedFromDepth = reader.CurrentDepth;
                    }

                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        writer.WriteStartObject();
                    }
                    else
                    {
                        writer.WriteStartArray();
                    }

                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        writer.WriteEndObject();
                    }
                    else
                    {
                        writer.WriteEndArray();
                    }

                    if (reader.CurrentDepth == maskedFromDepth)
                    {
                        maskedFromDepth = -1;
                    }

                    break;
                case JsonTokenType.String or JsonTokenType.Number when masking:
                    writer.WriteStringValue(Redactions.Mask);
                    changed = true;
                    break;
                case JsonTokenType.String:
                    var value = reader.GetString()!;
                    var redacted = text.Redact(value);
                    changed |= redacted != value;
                    writer.WriteStringValue(redacted);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    writer.WriteBooleanValue(reader.GetBoolean());
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }

            maskNext = false;
        }

        return changed;
    }
}
