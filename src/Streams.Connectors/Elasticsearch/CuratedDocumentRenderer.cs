using System.Collections.Concurrent;
using System.Text;
using Avro;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streams.Contracts;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Turns a record of a <c>curated.&lt;source&gt;</c> topic into the document the sink writes: the value is read in
/// Confluent's wire format as the source's curated type, the index is its daily index by event time (UTC), the
/// id is the record key (the curation's dedup key) or else event.id, and the JSON is <see cref="EcsDocumentWriter"/>'s.
/// Anything it cannot read throws, which the sink turns into a dead letter.
/// </summary>
public sealed class CuratedDocumentRenderer
{
    private readonly ISchemaRegistryClient _registry;
    private readonly string _indexPrefix;
    private readonly ConcurrentDictionary<string, ICuratedReader> _readers = new(StringComparer.Ordinal);

    /// <param name="indexPrefix">Replaces "curated" in the index names (elasticsearch.index.prefix).</param>
    public CuratedDocumentRenderer(ISchemaRegistryClient registry, string indexPrefix = "curated")
    {
        _registry = registry;
        _indexPrefix = indexPrefix;
    }

    /// <summary>Suits <see cref="ElasticsearchSink"/>'s render function.</summary>
    public SinkDocument Render(ConsumeResult<byte[], byte[]> record)
    {
        var curated = Read(record.Topic, record.Message.Value, record.Message.Headers);
        var index = _indexPrefix + EcsIndexNames.For(curated)[(EcsIndexNames.Prefix.Length - 1)..];
        return new SinkDocument(index, IdOf(record.Message.Key, curated), EcsDocumentWriter.ToUtf8(curated));
    }

    /// <summary>The value of a curated topic's record as the source's generated curated type.</summary>
    /// <exception cref="InvalidDataException">The topic is not a curated topic of the catalog.</exception>
    public ISpecificRecord Read(string topic, byte[]? value, Headers? headers = null)
    {
        if (value is null)
        {
            throw new InvalidDataException($"a record of {topic} has no value (a tombstone is nothing to index)");
        }

        var reader = _readers.GetOrAdd(topic, CreateReader);
        return reader.Read(value, new SerializationContext(MessageComponentType.Value, topic, headers));
    }

    /// <summary>The template mappings of a source: its curated schema through <see cref="EcsMappingGenerator"/>.</summary>
    public static ReadOnlyMemory<byte> MappingsFor(string source) =>
        Encoding.UTF8.GetBytes(EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.For(source).CuratedSchema));

    private static string IdOf(byte[]? key, ISpecificRecord curated)
    {
        if (key is { Length: > 0 })
        {
            return Encoding.UTF8.GetString(key);
        }

        var schema = (RecordSchema)curated.Schema;
        if (schema.TryGetField("event", out var field) && curated.Get(field.Pos) is Event { id: { Length: > 0 } id })
        {
            return id;
        }

        throw new InvalidDataException("the record has neither a key nor an event.id to use as the document id");
    }

    private ICuratedReader CreateReader(string topic)
    {
        var contract = SchemaCatalog.Sources.FirstOrDefault(c => c.CuratedTopic == topic)
            ?? throw new InvalidDataException($"'{topic}' is not a curated topic; known: {string.Join(", ", SchemaCatalog.Sources.Select(c => c.CuratedTopic))}");
        var readerType = typeof(CuratedReader<>).MakeGenericType(contract.CuratedType);
        return (ICuratedReader)Activator.CreateInstance(readerType, _registry)!;
    }

    private interface ICuratedReader
    {
        ISpecificRecord Read(byte[] value, SerializationContext context);
    }

    // Generic because the deserializer is; one per topic, made by reflection from the catalog's type.
    private sealed class CuratedReader<T>(ISchemaRegistryClient registry) : ICuratedReader
        where T : ISpecificRecord
    {
        private readonly IDeserializer<T> _deserializer = Runtime.Serdes.Avro.AvroSerdes.SpecificDeserializer<T>(registry);

        public ISpecificRecord Read(byte[] value, SerializationContext context) => _deserializer.Deserialize(value, isNull: false, context);
    }
}
