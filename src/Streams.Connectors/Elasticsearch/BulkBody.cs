using System.Buffers;
using System.Text.Json;

namespace Streams.Connectors.Elasticsearch;

/// <summary>The NDJSON of a <c>_bulk</c> request: a <c>create</c> action line, then the document on one line.</summary>
public static class BulkBody
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false, SkipValidation = false };

    // Printable ASCII that the default JSON encoder writes as it is (it escapes '"', '\\', '&', '\'', '+', '<', '>', '`').
    private static readonly SearchValues<char> Plain = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%()*,-./:;=?@[]^_{|}~");

    private static ReadOnlySpan<byte> CreatePrefix => "{\"create\":{\"_index\":\""u8;

    private static ReadOnlySpan<byte> IdPart => "\",\"_id\":\""u8;

    private static ReadOnlySpan<byte> ActionEnd => "\"}}\n"u8;

    public static byte[] Write(IReadOnlyList<IndexRequest> requests)
    {
        var buffer = new ArrayBufferWriter<byte>(checked((int)Math.Min(int.MaxValue, requests.Sum(r => r.BulkBytes))));
        foreach (var request in requests)
        {
            WriteOne(buffer, request);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteOne(IBufferWriter<byte> output, IndexRequest request)
    {
        WriteActionLine(output, request.Index, request.Id);
        WriteDocumentLine(output, request.Document.Span);
    }

    /// <summary><c>{"create":{"_index":…,"_id":…}}</c>: op_type create, so a replayed id is refused instead of overwritten.</summary>
    public static void WriteActionLine(IBufferWriter<byte> output, string index, string id)
    {
        if (!index.AsSpan().ContainsAnyExcept(Plain) && !id.AsSpan().ContainsAnyExcept(Plain))
        {
            // What the writer below produces when nothing needs escaping, without a writer per line.
            var length = CreatePrefix.Length + index.Length + IdPart.Length + id.Length + ActionEnd.Length;
            var span = output.GetSpan(length);
            CreatePrefix.CopyTo(span);
            var at = CreatePrefix.Length;
            at += System.Text.Encoding.ASCII.GetBytes(index, span[at..]);
            IdPart.CopyTo(span[at..]);
            at += IdPart.Length;
            at += System.Text.Encoding.ASCII.GetBytes(id, span[at..]);
            ActionEnd.CopyTo(span[at..]);
            output.Advance(length);
            return;
        }

        using (var writer = new Utf8JsonWriter(output, Compact))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("create");
            writer.WriteString("_index", index);
            writer.WriteString("_id", id);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    // In valid JSON a raw line break can only be whitespace, so it is safe to blank it out for NDJSON.
    private static void WriteDocumentLine(IBufferWriter<byte> output, ReadOnlySpan<byte> document)
    {
        var span = output.GetSpan(document.Length + 1);
        document.CopyTo(span);
        var line = span[..document.Length];
        if (line.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            line.Replace((byte)'\n', (byte)' ');
            line.Replace((byte)'\r', (byte)' ');
        }

        span[document.Length] = (byte)'\n';
        output.Advance(document.Length + 1);
    }
}
