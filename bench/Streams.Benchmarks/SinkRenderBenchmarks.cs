using System.Buffers.Binary;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Benchmarks;

/// <summary>
/// The sink's render of a curated Kafka record (daily index, id, ECS JSON) per source, over the corpus's curated records:
/// transcoded straight from the Avro bytes (the records carry the curated schema's id) against decoded into the curated
/// type and written by EcsDocumentWriter (the same bytes under the id of a writer schema that differs only in a doc
/// string, which the renderer resolves the decoded way).
/// </summary>
[MemoryDiagnoser]
public class SinkRenderBenchmarks
{
    private readonly string _scope = "bench-render-" + Guid.NewGuid().ToString("N");
    private ConsumeResult<byte[], byte[]>[] _transcoded = null!;
    private ConsumeResult<byte[], byte[]>[] _decoded = null!;
    private CuratedDocumentRenderer _renderer = null!;

    [Params("mysql", "mongodb", "laravel", "elb")]
    public string Source { get; set; } = "mysql";

    [GlobalSetup]
    public void Setup()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var contract = SchemaCatalog.For(Source);
        var curatedId = Register(registry, contract.CuratedSubject, contract.CuratedSchema.ToString());
        var other = JsonNode.Parse(contract.CuratedSchema.ToString())!;
        other["doc"] = "the same fields, another doc";
        var otherId = Register(registry, contract.CuratedSubject, other.ToJsonString());
        var writer = new Avro.Specific.SpecificDatumWriter<Avro.Specific.ISpecificRecord>(contract.CuratedSchema);
        var bodies = CorpusSamples.Curated(Source).Select(record =>
        {
            using var stream = new MemoryStream();
            writer.Write(record, new Avro.IO.BinaryEncoder(stream));
            return stream.ToArray();
        }).ToArray();
        _transcoded = bodies.Select((b, i) => Record(contract.CuratedTopic, curatedId, b, i)).ToArray();
        _decoded = bodies.Select((b, i) => Record(contract.CuratedTopic, otherId, b, i)).ToArray();
        _renderer = new CuratedDocumentRenderer(registry);
        if (!_renderer.Render(_transcoded[0]).Json.Span.SequenceEqual(_renderer.Render(_decoded[0]).Json.Span) || _renderer.DocumentsTranscoded != 1)
        {
            throw new InvalidOperationException("the two paths must render the same document, one of them transcoded");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => MockSchemaRegistry.DropScope(_scope);

    [Benchmark(OperationsPerInvoke = 16, Baseline = true)]
    public int Render_decoded() => Loop(_decoded);

    [Benchmark(OperationsPerInvoke = 16)]
    public int Render_transcoded() => Loop(_transcoded);

    private int Loop(ConsumeResult<byte[], byte[]>[] records)
    {
        var n = 0;
        for (var i = 0; i < 16; i++)
        {
            n += _renderer.Render(records[i % records.Length]).Json.Length;
        }

        return n;
    }

    private static int Register(ISchemaRegistryClient registry, string subject, string schema) =>
        registry.RegisterSchemaAsync(subject, new Schema(schema, SchemaType.Avro)).GetAwaiter().GetResult();

    private static ConsumeResult<byte[], byte[]> Record(string topic, int schemaId, byte[] body, int i)
    {
        var value = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), schemaId);
        body.CopyTo(value, 5);
        return new ConsumeResult<byte[], byte[]>
        {
            Topic = topic,
            Message = new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes($"{i:x32}"), Value = value, Timestamp = new Timestamp(CorpusSamples.IngestedAt) },
        };
    }
}
