using System.Buffers.Binary;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Runtime.Serdes.Avro;
using AvroSchema = Avro.Schema;

namespace Streams.Runtime.Tests.SchemaRegistry;

/// <summary>
/// Records written with Confluent's AvroSerializer through the REST double and read back with another version of the schema:
/// the reader resolves against the writer schema the registry returns for the id in the wire format.
/// </summary>
[TestFixture]
public sealed class SchemaEvolutionTests
{
    private const string V1 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"}]}""";
    private const string V2 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"},{"name":"level","type":"string","default":"info"}]}""";

    [Test]
    public async Task A_v2_reader_fills_the_new_field_from_its_default_when_reading_what_v1_wrote()
    {
        await using var registry = await SchemaRegistryDouble.StartAsync();
        using var client = AvroSerdes.CreateRegistry(new SchemaRegistrySettings(registry.Url));

        var bytes = await Serialize(client, V1, record => record.Add("id", "e-1"));
        var read = await Read(client, bytes, V2);

        Assert.That((read["id"], read["level"]), Is.EqualTo(("e-1", "info")));
    }

    [Test]
    public async Task A_v1_reader_skips_the_field_v2_added_and_the_registry_keeps_both_versions()
    {
        await using var registry = await SchemaRegistryDouble.StartAsync();
        using var client = AvroSerdes.CreateRegistry(new SchemaRegistrySettings(registry.Url));
        await Serialize(client, V1, record => record.Add("id", "e-0"));

        var bytes = await Serialize(client, V2, record =>
        {
            record.Add("id", "e-2");
            record.Add("level", "warn");
        });
        var read = await Read(client, bytes, V1);
        var asWritten = await new AvroDeserializer<GenericRecord>(client).DeserializeAsync(bytes, isNull: false, new SerializationContext(MessageComponentType.Value, "events"));

        Assert.That(read["id"], Is.EqualTo("e-2"));
        Assert.That(read.Schema.Fields.Select(f => f.Name), Is.EqualTo(new[] { "id" }));
        Assert.That(asWritten["level"], Is.EqualTo("warn"), "Confluent's deserializer reads with the writer schema");
        Assert.That((await client.GetLatestSchemaAsync("events-value")).Version, Is.EqualTo(2));
    }

    private static async Task<byte[]> Serialize(ISchemaRegistryClient client, string schema, Action<GenericRecord> fill)
    {
        var record = new GenericRecord((Avro.RecordSchema)AvroSchema.Parse(schema));
        fill(record);
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic });
        return await serializer.SerializeAsync(record, new SerializationContext(MessageComponentType.Value, "events"));
    }

    /// <summary>Confluent wire format: magic byte 0, the schema id (big-endian int32), then the Avro binary body.</summary>
    private static async Task<GenericRecord> Read(ISchemaRegistryClient client, byte[] bytes, string readerSchema)
    {
        Assert.That(bytes[0], Is.Zero);
        var writer = AvroSchema.Parse((await client.GetSchemaAsync(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)))).SchemaString);
        var reader = new GenericDatumReader<GenericRecord>(writer, AvroSchema.Parse(readerSchema));
        using var body = new MemoryStream(bytes, 5, bytes.Length - 5);
        return reader.Read(reuse: null!, new BinaryDecoder(body));
    }
}
