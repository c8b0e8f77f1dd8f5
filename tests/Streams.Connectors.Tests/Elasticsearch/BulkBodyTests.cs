using System.Buffers;
using System.Text;
using System.Text.Json;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>The action line is written without a JSON writer when nothing needs escaping: it must be the writer's bytes.</summary>
[TestFixture]
public sealed class BulkBodyTests
{
    [Test]
    public void The_action_line_is_what_a_json_writer_writes_for_every_printable_ascii_character_and_beyond()
    {
        var texts = Enumerable.Range(0x20, 0x7f - 0x20).Select(c => "id" + (char)c + "x")
            .Concat(["curated-elb-2026.11.21", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "caf\u00e9", "tab\tand\nnewline", "\u0001", string.Empty, "emoji \U0001F600"])
            .ToList();

        foreach (var text in texts)
        {
            var actual = new ArrayBufferWriter<byte>();
            BulkBody.WriteActionLine(actual, "curated-elb-2026.11.21", text);
            BulkBody.WriteActionLine(actual, text, "id");

            var expected = new ArrayBufferWriter<byte>();
            WriteWithJsonWriter(expected, "curated-elb-2026.11.21", text);
            WriteWithJsonWriter(expected, text, "id");

            Assert.That(Encoding.UTF8.GetString(actual.WrittenSpan), Is.EqualTo(Encoding.UTF8.GetString(expected.WrittenSpan)), text);
        }
    }

    private static void WriteWithJsonWriter(IBufferWriter<byte> output, string index, string id)
    {
        using (var writer = new Utf8JsonWriter(output))
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
}
