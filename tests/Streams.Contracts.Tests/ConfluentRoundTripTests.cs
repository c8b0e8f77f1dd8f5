using System.Buffers.Binary;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Runtime.Serdes.Avro;
using static Streams.Contracts.Tests.SampleRecords;

namespace Streams.Contracts.Tests;

/// <summary>The generated types through Confluent's Schema Registry serdes, as producers and consumers will use them.</summary>
[TestFixture]
public sealed class ConfluentRoundTripTests
{
    [TestCase(SampleVariant.Minimal)]
    [TestCase(SampleVariant.Full)]
    [TestCase(SampleVariant.Extremes)]
    public async Task Raw_and_curated_records_survive_the_Confluent_Avro_serdes(SampleVariant variant)
    {
        var registry = MockSchemaRegistry.ForScope("contracts-" + Guid.NewGuid().ToString("N"));

        await RoundTrip<MysqlRaw>(registry, SchemaCatalog.For(SchemaCatalog.Mysql).RawTopic, variant);
        await RoundTrip<MongodbRaw>(registry, SchemaCatalog.For(SchemaCatalog.Mongodb).RawTopic, variant);
        await RoundTrip<LaravelRaw>(registry, SchemaCatalog.For(SchemaCatalog.Laravel).RawTopic, variant);
        await RoundTrip<ElbRaw>(registry, SchemaCatalog.For(SchemaCatalog.Elb).RawTopic, variant);
        await RoundTrip<MysqlCurated>(registry, SchemaCatalog.For(SchemaCatalog.Mysql).CuratedTopic, variant);
        await RoundTrip<MongodbCurated>(registry, SchemaCatalog.For(SchemaCatalog.Mongodb).CuratedTopic, variant);
        await RoundTrip<LaravelCurated>(registry, SchemaCatalog.For(SchemaCatalog.Laravel).CuratedTopic, variant);
        await RoundTrip<ElbCurated>(registry, SchemaCatalog.For(SchemaCatalog.Elb).CuratedTopic, variant);
    }

    [Test]
    public async Task The_serializer_registers_each_schema_under_the_catalog_subject_with_its_ecs_attribute()
    {
        var registry = MockSchemaRegistry.ForScope("contracts-" + Guid.NewGuid().ToString("N"));
        foreach (var source in SchemaCatalog.Sources)
        {
            await Serialize(registry, source.CuratedType, source.CuratedTopic);
            await Serialize(registry, source.RawType, source.RawTopic);
        }

        var expectedSubjects = SchemaCatalog.Sources.SelectMany(source => new[] { source.CuratedSubject, source.RawSubject });
        Assert.That(await registry.GetAllSubjectsAsync(), Is.EquivalentTo(expectedSubjects));

        var registeredCurated = await registry.GetLatestSchemaAsync(SchemaCatalog.For(SchemaCatalog.Elb).CuratedSubject);
        var parsed = (Avro.RecordSchema)Avro.Schema.Parse(registeredCurated.SchemaString);
        Assert.That(parsed, Is.EqualTo(ElbCurated._SCHEMA));
        Assert.That(EcsNames.SegmentOf(parsed.Fields[0]), Is.EqualTo("@timestamp"), "the registered schema keeps the ECS rename");
    }

    private static async Task RoundTrip<T>(MockSchemaRegistry registry, string topic, SampleVariant variant)
        where T : ISpecificRecord, new()
    {
        var record = Create<T>(variant);
        var context = new SerializationContext(MessageComponentType.Value, topic);

        var bytes = await new AvroSerializer<T>(registry).SerializeAsync(record, context);
        var decoded = await new AvroDeserializer<T>(registry).DeserializeAsync(bytes, isNull: false, context);

        RecordAssert.AreEqual(record, decoded);

        // Confluent wire format: magic byte 0, the schema id big-endian, then the plain Avro binary.
        Assert.That(bytes[0], Is.Zero);
        var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
        Assert.That(Avro.Schema.Parse((await registry.GetSchemaAsync(id)).SchemaString), Is.EqualTo(record.Schema));
        Assert.That(bytes[5..], Is.EqualTo(AvroBinary.Encode(record)));
    }

    private static Task<byte[]> Serialize(MockSchemaRegistry registry, Type recordType, string topic)
    {
        var method = typeof(ConfluentRoundTripTests).GetMethod(nameof(SerializeMinimal), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return (Task<byte[]>)method.MakeGenericMethod(recordType).Invoke(null, [registry, topic])!;
    }

    private static Task<byte[]> SerializeMinimal<T>(MockSchemaRegistry registry, string topic)
        where T : ISpecificRecord, new() =>
        new AvroSerializer<T>(registry).SerializeAsync(Create<T>(SampleVariant.Minimal), new SerializationContext(MessageComponentType.Value, topic));
}
