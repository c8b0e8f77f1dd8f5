using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>
/// The renderer decodes every record of a thread into the same reused object: what one record had must never show in
/// the next one's document, and each document must be the one <see cref="EcsDocumentWriter"/> writes for the record
/// decoded afresh.
/// </summary>
[TestFixture]
public sealed class CuratedDocumentRendererTests
{
    private const string Topic = "curated.elb";
    private string _scope = null!;

    [SetUp]
    public void CreateScope() => _scope = "renderer-" + Guid.NewGuid().ToString("N");

    [TearDown]
    public void DropScope() => MockSchemaRegistry.DropScope(_scope);

    [Test]
    public void A_field_set_in_one_record_does_not_leak_into_the_next_document()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var serializer = new AvroSerializer<ElbCurated>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();
        var renderer = new CuratedDocumentRenderer(registry);
        var full = new ElbCurated
        {
            timestamp = new DateTime(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc),
            @event = new Event { id = "full", kind = "event", dataset = "aws.elb", category = ["web"], type = ["access", "info"] },
            message = "GET /",
            source = new Source { ip = "81.2.69.142", port = 443, geo = new Geo { country_iso_code = "GB", city_name = "London", location = new GeoPoint { lat = 51.5, lon = -0.1 } } },
            labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        };
        var sparse = new ElbCurated
        {
            timestamp = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc),
            @event = new Event { id = "sparse", kind = "event", type = ["access"] },
            source = new Source { ip = "10.0.0.1" },
            labels = new Dictionary<string, string> { ["c"] = "3" },
        };
        var records = new[] { full, sparse, new ElbCurated { timestamp = sparse.timestamp, @event = new Event { id = "bare" } }, full };

        foreach (var record in records)
        {
            var value = serializer.Serialize(record, new SerializationContext(MessageComponentType.Value, Topic));
            var document = renderer.Render(new ConsumeResult<byte[], byte[]>
            {
                Topic = Topic,
                Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(record.@event.id), Value = value },
            });
            var expected = EcsDocumentWriter.ToJson(renderer.Read(Topic, value));

            Assert.Multiple(() =>
            {
                Assert.That(Encoding.UTF8.GetString(document.Json.Span), Is.EqualTo(expected), record.@event.id);
                Assert.That(document.Id, Is.EqualTo(record.@event.id));
                Assert.That(document.Index, Is.EqualTo(EcsIndexNames.For(record)));
            });
        }

        // The literal check that the reuse is not hiding anything: the sparse record has no geo, no message, one label.
        var sparseJson = EcsDocumentWriter.ToJson(renderer.Read(Topic, serializer.Serialize(sparse, new SerializationContext(MessageComponentType.Value, Topic))));
        Assert.That(sparseJson, Does.Not.Contain("London").And.Not.Contain("\"message\"").And.Not.Contain("\"a\":"));
    }

    [Test]
    public void A_value_without_confluent_framing_is_refused_as_the_deserializer_refuses_it()
    {
        var renderer = new CuratedDocumentRenderer(MockSchemaRegistry.ForScope(_scope));
        var consumed = new ConsumeResult<byte[], byte[]> { Topic = Topic, Message = new Message<byte[], byte[]> { Value = [1, 0, 0, 0, 1, 2] } };

        Assert.That(() => renderer.Render(consumed), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Magic byte was 1"));
    }
}
