using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Runtime.Tests.SchemaRegistry;

[TestFixture]
public sealed class MockSchemaRegistryTests
{
    private const string V1 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"}]}""";
    private const string V2 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"},{"name":"level","type":"string","default":"info"}]}""";
    // A new required field without a default cannot read what V2 wrote: not BACKWARD compatible.
    private const string AddsRequired = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"},{"name":"level","type":"string","default":"info"},{"name":"host","type":"string"}]}""";

    private static string NewScope() => "test-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task Clients_of_one_scope_share_a_registry_and_two_scopes_stay_apart()
    {
        var scope = NewScope();
        var a = AvroSerdes.CreateRegistry(new SchemaRegistrySettings("mock://" + scope));
        var b = AvroSerdes.CreateRegistry(new SchemaRegistrySettings("mock://" + scope));
        var other = AvroSerdes.CreateRegistry(new SchemaRegistrySettings("mock://" + NewScope()));

        var id = await a.RegisterSchemaAsync("t-value", new Confluent.SchemaRegistry.Schema(V1, SchemaType.Avro));
        Assert.That((await b.GetSchemaAsync(id)).SchemaString, Is.EqualTo(global::Avro.Schema.Parse(V1).ToString()));
        Assert.That(await other.GetAllSubjectsAsync(), Is.Empty);
        var ex = await Assert.ThrowsAsync<SchemaRegistryException>(() => other.GetLatestSchemaAsync("t-value"));
        Assert.That(ex!.ErrorCode, Is.EqualTo(40401));
    }

    [Test]
    public async Task Versions_grow_and_an_incompatible_schema_is_refused_with_409()
    {
        var registry = MockSchemaRegistry.ForScope(NewScope());
        await registry.RegisterSchemaAsync("t-value", V1);
        await registry.RegisterSchemaAsync("t-value", V2);
        Assert.That(await registry.GetSubjectVersionsAsync("t-value"), Is.EqualTo(new[] { 1, 2 }));
        Assert.That((await registry.GetLatestSchemaAsync("t-value")).Version, Is.EqualTo(2));
        Assert.That(await registry.IsCompatibleAsync("t-value", AddsRequired), Is.False);
        var ex = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.RegisterSchemaAsync("t-value", AddsRequired));
        Assert.That(ex!.ErrorCode, Is.EqualTo(409));
        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.RegisterSchemaAsync("t-value", "{not json"));
        Assert.That(invalid!.ErrorCode, Is.EqualTo(42201));
    }

    [Test]
    public async Task A_producer_and_a_consumer_in_one_process_share_the_mock_registry_over_the_embedded_cluster()
    {
        var url = "mock://" + NewScope();
        var schema = (RecordSchema)global::Avro.Schema.Parse(V1);
        await using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("events");
        using (var producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(AvroSerdes.CreateRegistry(new SchemaRegistrySettings(url)), new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync())
            .Build())
        {
            var record = new GenericRecord(schema);
            record.Add("id", "e-1");
            producer.Produce("events", new Message<string, GenericRecord> { Key = "k", Value = record });
            producer.Flush();
        }

        using var consumer = new ConsumerBuilder<string, GenericRecord>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g", AutoOffsetReset = AutoOffsetReset.Earliest })
            .SetValueDeserializer(new AvroDeserializer<GenericRecord>(AvroSerdes.CreateRegistry(new SchemaRegistrySettings(url))).AsSyncOverAsync())
            .Build();
        consumer.Subscribe("events");
        var result = consumer.Consume(TimeSpan.FromSeconds(20));
        Assert.That(result?.Message.Value["id"], Is.EqualTo("e-1"));
        Assert.That(result!.Message.Value.Schema.Fullname, Is.EqualTo("test.Event"));
        consumer.Close();
        Assert.That(await MockSchemaRegistry.ForScope(url["mock://".Length..]).GetAllSubjectsAsync(), Is.EqualTo(new[] { "events-value" }), "TopicNameStrategy");
    }
}
