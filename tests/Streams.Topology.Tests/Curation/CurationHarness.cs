using System.Text.Json;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Contracts.Documents;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Testing;
using Streams.Topology.Curation;

namespace Streams.Topology.Tests.Curation;

/// <summary>The real curation topology in the test driver, fed with raw Avro records made from native log text.</summary>
internal sealed class CurationHarness : IDisposable
{
    private readonly MockSchemaRegistry _registry;
    private long _time = 1_700_000_000_000;

    public CurationHarness(CurationOptions? options = null)
    {
        var scope = "curation-" + Guid.NewGuid().ToString("N");
        _registry = MockSchemaRegistry.ForScope(scope);
        Options = (options ?? new CurationOptions()) with { Registry = new SchemaRegistrySettings("mock://" + scope) };
        var topology = CurationTopology.Build(Options, Metrics, _registry);
        var engine = CurationTopology.EngineDefaults(Options);
        engine[StreamsConfig.BootstrapServersKey] = "test-driver:9092";
        Driver = new TopologyTestDriver(topology, StreamsConfig.FromProperties(engine));
    }

    public CurationOptions Options { get; }

    public CurationMetrics Metrics { get; } = new();

    public TopologyTestDriver Driver { get; }

    public void Pipe(NativeRecord record)
    {
        var bytes = Serialize(record.Raw, record.Topic);
        Driver.PipeInput(record.Topic, System.Text.Encoding.UTF8.GetBytes(record.Key), bytes, _time++);
    }

    public void PipeText(string kind, string text, string origin = "host-1:/var/log/app.log")
    {
        foreach (var record in NativeText.Read(kind, text, origin, new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc)))
        {
            Pipe(record);
        }
    }

    /// <summary>The curated documents of a source as the sink would index them: (_index, _id, _source).</summary>
    public List<(string Index, string Id, JsonElement Source)> Documents<TCurated>(string source)
        where TCurated : class, ISpecificRecord
    {
        var deserializer = new AvroDeserializer<TCurated>(_registry).AsSyncOverAsync();
        return Driver.Output(CurationOptions.CuratedTopic(source)).Select(r =>
        {
            var record = deserializer.Deserialize(r.Value, false, new SerializationContext(MessageComponentType.Value, CurationOptions.CuratedTopic(source)));
            using var doc = JsonDocument.Parse(EcsDocumentWriter.ToUtf8(record));
            return (EcsIndexNames.For(record), System.Text.Encoding.UTF8.GetString(r.Key!), doc.RootElement.Clone());
        }).ToList();
    }

    public IReadOnlyList<TestRecord> DeadLetters => Driver.Output(Options.DeadLetterTopic);

    public void Dispose() => Driver.Dispose();

    private byte[] Serialize(ISpecificRecord raw, string topic)
    {
        var method = typeof(CurationHarness).GetMethod(nameof(SerializeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        return (byte[])method.MakeGenericMethod(raw.GetType()).Invoke(this, [raw, topic])!;
    }

    private byte[] SerializeTyped<T>(T raw, string topic)
        where T : ISpecificRecord =>
        new AvroSerializer<T>(_registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync()
            .Serialize(raw, new SerializationContext(MessageComponentType.Value, topic));
}
