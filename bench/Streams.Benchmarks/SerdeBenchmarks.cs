using Avro.Specific;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Benchmarks;

/// <summary>
/// Avro serialize and deserialize of each curated record (Confluent wire format, mock:// registry): the engine's
/// cached serdes (AvroSerdes.Specific) against Confluent's sync-over-async AvroSerializer/AvroDeserializer; the
/// engine's deserialize of each raw record (the topology's input); and the
/// sink's rendering of a curated Kafka record into its Elasticsearch document.
/// </summary>
[MemoryDiagnoser]
public class SerdeBenchmarks
{
    private readonly string _scope = "bench-" + Guid.NewGuid().ToString("N");
    private ISchemaRegistryClient _registry = null!;
    private Codec _cached = null!;
    private Codec _confluent = null!;
    private Codec _rawCached = null!;
    private byte[][] _bytes = null!;
    private byte[][] _rawBytes = null!;
    private ConsumeResult<byte[], byte[]>[] _records = null!;
    private CuratedDocumentRenderer _renderer = null!;

    [Params("mysql", "mongodb", "laravel", "elb")]
    public string Source { get; set; } = "mysql";

    [GlobalSetup]
    public void Setup()
    {
        _registry = MockSchemaRegistry.ForScope(_scope);
        var contract = SchemaCatalog.For(Source);
        var make = typeof(SerdeBenchmarks).GetMethod(nameof(Make), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(contract.CuratedType);
        var codecs = ((Codec Cached, Codec Confluent))make.Invoke(null, [_registry, new SchemaRegistrySettings("mock://" + _scope), contract.CuratedTopic])!;
        _cached = codecs.Cached;
        _confluent = codecs.Confluent;
        var makeRaw = make.GetGenericMethodDefinition().MakeGenericMethod(contract.RawType);
        _rawCached = (((Codec Cached, Codec Confluent))makeRaw.Invoke(null, [_registry, new SchemaRegistrySettings("mock://" + _scope), contract.RawTopic])!).Cached;
        _rawBytes = CorpusSamples.Raw(Source).Select(_rawCached.Serialize).ToArray();
        var curated = CorpusSamples.Curated(Source);
        _bytes = curated.Select(_cached.Serialize).ToArray();
        _records = _bytes.Select((b, i) => new ConsumeResult<byte[], byte[]>
        {
            Topic = contract.CuratedTopic,
            Message = new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes($"{i:x32}"), Value = b, Timestamp = new Timestamp(CorpusSamples.IngestedAt) },
        }).ToArray();
        _renderer = new CuratedDocumentRenderer(_registry);
        Curated = curated;
    }

    [GlobalCleanup]
    public void Cleanup() => MockSchemaRegistry.DropScope(_scope);

    private List<ISpecificRecord> Curated { get; set; } = [];

    [Benchmark(OperationsPerInvoke = 16)]
    public int Serialize_cached() => Loop(i => _cached.Serialize(Curated[i % Curated.Count]).Length);

    [Benchmark(OperationsPerInvoke = 16)]
    public int Serialize_confluent() => Loop(i => _confluent.Serialize(Curated[i % Curated.Count]).Length);

    [Benchmark(OperationsPerInvoke = 16)]
    public int Deserialize_cached() => Loop(i => _cached.Deserialize(_bytes[i % _bytes.Length]) is null ? 0 : 1);

    /// <summary>The topology's input: a raw record of the source, read by the engine's cached deserializer.</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public int Deserialize_raw_cached() => Loop(i => _rawCached.Deserialize(_rawBytes[i % _rawBytes.Length]) is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = 16)]
    public int Deserialize_confluent() => Loop(i => _confluent.Deserialize(_bytes[i % _bytes.Length]) is null ? 0 : 1);

    /// <summary>CuratedDocumentRenderer.Render: deserialize, daily index, id, ECS JSON.</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public int Render_es_document() => Loop(i => _renderer.Render(_records[i % _records.Length]).Json.Length);

    private static int Loop(Func<int, int> op)
    {
        var n = 0;
        for (var i = 0; i < 16; i++)
        {
            n += op(i);
        }

        return n;
    }

    private static (Codec Cached, Codec Confluent) Make<T>(ISchemaRegistryClient registry, SchemaRegistrySettings settings, string topic)
        where T : class, ISpecificRecord
    {
        var serde = AvroSerdes.Specific<T>(registry, settings);
        var serializer = new AvroSerializer<T>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync();
        var deserializer = new AvroDeserializer<T>(registry).AsSyncOverAsync();
        var context = new SerializationContext(MessageComponentType.Value, topic);
        return (
            new Codec(r => serde.Serialize((T)r, topic)!, b => serde.Deserialize(b, topic)),
            new Codec(r => serializer.Serialize((T)r, context), b => deserializer.Deserialize(b, false, context)));
    }

    /// <summary>Serialize and deserialize one curated type, whatever it is.</summary>
    private sealed record Codec(Func<ISpecificRecord, byte[]> Serialize, Func<byte[], ISpecificRecord> Deserialize);
}
