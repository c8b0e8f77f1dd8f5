using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Avro;
using Avro.IO;
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
/// <remarks>
/// A record written with the catalog's curated schema itself (the schema id's registered schema is that schema) is
/// transcoded from its Avro bytes straight to the JSON by <see cref="EcsAvroTranscoder"/>, which also hands back the
/// event time and event.id: no decoded record, no UTF-16 strings. Any other writer schema (schema evolution), or a record
/// the transcoder hands back, is decoded into a reused record of the curated type and written by
/// <see cref="EcsDocumentWriter"/>, the same bytes either way. Per record it allocates the id string and the document's
/// bytes (and the decoded record's strings on the decoded path): the JSON is written into a reused buffer per thread
/// (the transcoder's, or one reused <see cref="Utf8JsonWriter"/>'s) and copied out once, and the daily index name is
/// made once per topic and day.
/// </remarks>
public sealed class CuratedDocumentRenderer
{
    // The options EcsDocumentWriter.Write(record, IBufferWriter) uses, so the bytes are the same.
    private static readonly JsonWriterOptions DocumentOptions = new() { Encoder = EcsDocumentWriter.Encoder, SkipValidation = true };

    [ThreadStatic]
    private static DocumentBuffer? _buffer;

    private readonly ISchemaRegistryClient _registry;
    private readonly string _indexPrefix;
    private readonly ConcurrentDictionary<string, ICuratedReader> _readers = new(StringComparer.Ordinal);

    /// <param name="indexPrefix">Replaces "curated" in the index names (elasticsearch.index.prefix).</param>
    public CuratedDocumentRenderer(ISchemaRegistryClient registry, string indexPrefix = "curated")
    {
        _registry = registry;
        _indexPrefix = indexPrefix;
    }

    /// <summary>Documents written straight from the Avro bytes, without a decoded record (see <see cref="EcsAvroTranscoder"/>).</summary>
    public long DocumentsTranscoded => _readers.Values.Sum(reader => reader.Transcoded);

    /// <summary>Suits <see cref="ElasticsearchSink"/>'s render function.</summary>
    public SinkDocument Render(ConsumeResult<byte[], byte[]> record)
    {
        var reader = ReaderFor(record.Topic);
        var buffer = _buffer ??= new DocumentBuffer();
        return reader.Render(Value(record.Topic, record.Message.Value), record.Message.Key, buffer);
    }

    /// <summary>The value of a curated topic's record as the source's generated curated type.</summary>
    /// <exception cref="InvalidDataException">The topic is not a curated topic of the catalog.</exception>
    public ISpecificRecord Read(string topic, byte[]? value, Headers? headers = null) =>
        ReaderFor(topic).Read(Value(topic, value), new SerializationContext(MessageComponentType.Value, topic, headers));

    /// <summary>The template mappings of a source: its curated schema through <see cref="EcsMappingGenerator"/>.</summary>
    public static ReadOnlyMemory<byte> MappingsFor(string source) =>
        Encoding.UTF8.GetBytes(EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.For(source).CuratedSchema));

    private static byte[] Value(string topic, byte[]? value) =>
        value ?? throw new InvalidDataException($"a record of {topic} has no value (a tombstone is nothing to index)");

    private ICuratedReader ReaderFor(string topic) => _readers.GetOrAdd(topic, CreateReader);

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

    private static string IdOf(byte[]? key, ReadOnlySpan<byte> eventId)
    {
        if (key is { Length: > 0 })
        {
            return Encoding.UTF8.GetString(key);
        }

        if (eventId.Length > 0)
        {
            return Encoding.UTF8.GetString(eventId);
        }

        throw new InvalidDataException("the record has neither a key nor an event.id to use as the document id");
    }

    private ICuratedReader CreateReader(string topic)
    {
        var contract = SchemaCatalog.Sources.FirstOrDefault(c => c.CuratedTopic == topic)
            ?? throw new InvalidDataException($"'{topic}' is not a curated topic; known: {string.Join(", ", SchemaCatalog.Sources.Select(c => c.CuratedTopic))}");
        var readerType = typeof(CuratedReader<>).MakeGenericType(contract.CuratedType);
        return (ICuratedReader)Activator.CreateInstance(readerType, _registry, contract.Source, _indexPrefix)!;
    }

    private interface ICuratedReader
    {
        long Transcoded { get; }

        ISpecificRecord Read(byte[] value, SerializationContext context);

        SinkDocument Render(byte[] value, byte[]? key, DocumentBuffer buffer);
    }

    // Generic because the deserializer is; one per topic, made by reflection from the catalog's type.
    private sealed class CuratedReader<T>(ISchemaRegistryClient registry, string source, string indexPrefix) : ICuratedReader
        where T : class, ISpecificRecord
    {
        private static readonly global::Avro.Schema ReaderSchema = Activator.CreateInstance<T>().Schema;

        // The record the sink's thread decodes into, again and again: Avro then fills the nested records, arrays and
        // maps in place instead of creating each one by reflection (most of a record's decoding cost). Only Render
        // uses it, and the record never leaves Render.
        [ThreadStatic]
        private static T? _reused;

        // Null when the curated schema holds something only the decoded path writes (it has nothing such today).
        private static readonly EcsAvroTranscoder? Transcoder = EcsAvroTranscoder.TryCreate((RecordSchema)ReaderSchema) is { HasTimestamp: true } t ? t : null;

        private readonly IDeserializer<T> _deserializer = Runtime.Serdes.Avro.AvroSerdes.SpecificDeserializer<T>(registry);

        private readonly ConcurrentDictionary<int, WriterSchema> _writers = new();
        private readonly int _timestamp = TimestampPosition();
        private DayIndex? _lastDay;
        private long _transcoded;

        public long Transcoded => Interlocked.Read(ref _transcoded);

        public ISpecificRecord Read(byte[] value, SerializationContext context) => _deserializer.Deserialize(value, isNull: false, context);

        public SinkDocument Render(byte[] value, byte[]? key, DocumentBuffer buffer)
        {
            // Confluent's framing, checked as CachedAvroDeserializer (Read) checks it, with the same messages.
            if (value.Length < 5)
            {
                throw new InvalidDataException($"Expecting data framing of length 5 bytes or more but total data size is {value.Length} bytes");
            }

            if (value[0] != 0)
            {
                throw new InvalidDataException($"Expecting message {MessageComponentType.Value} with Confluent Schema Registry framing. Magic byte was {value[0]}, expecting 0");
            }

            var writer = _writers.GetOrAdd(BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)), WriterFor);
            if (writer.Transcoder is { } transcoder)
            {
                if (transcoder.TryTranscode(value.AsSpan(5), out var json, out var timestamp, out var eventId))
                {
                    Interlocked.Increment(ref _transcoded);
                    return new SinkDocument(
                        DailyIndex(timestamp ?? throw new InvalidDataException("the record has no @timestamp")),
                        IdOf(key, value.AsSpan(5)[eventId]),
                        json.ToArray());
                }
            }

            T curated;
            try
            {
                curated = writer.Reader.Read(_reused!, buffer.Decoder(value, 5));
            }
            catch
            {
                // A record that failed halfway is no template for the next.
                _reused = null;
                throw;
            }

            _reused = curated;
            return new SinkDocument(DailyIndex((DateTime)curated.Get(_timestamp)), IdOf(key, curated), buffer.Render(curated));
        }

        // The direct path only for records written with the catalog's curated schema itself: any other writer schema
        // (an older or newer version) is resolved against it by Avro's reader, as before.
        private WriterSchema WriterFor(int id)
        {
            var registered = registry.GetSchemaAsync(id).ConfigureAwait(false).GetAwaiter().GetResult();
            var writer = global::Avro.Schema.Parse(registered.SchemaString);
            var transcoder = writer.ToString() == ReaderSchema.ToString() ? Transcoder : null;
            return new WriterSchema(new SpecificDatumReader<T>(writer, ReaderSchema), transcoder);
        }

        /// <summary>
        /// What <c>indexPrefix + EcsIndexNames.For(curated)</c> without its "curated" gives, made once per UTC day: the
        /// records of a topic come mostly in event-time order, so the last day's name is nearly always the one.
        /// </summary>
        private string DailyIndex(DateTime time)
        {
            var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
            var day = utc.Ticks / TimeSpan.TicksPerDay;
            var last = Volatile.Read(ref _lastDay);
            if (last is not null && last.Day == day)
            {
                return last.Name;
            }

            var name = indexPrefix + EcsIndexNames.Daily(source, utc)[(EcsIndexNames.Prefix.Length - 1)..];
            Volatile.Write(ref _lastDay, new DayIndex(day, name));
            return name;
        }

        private sealed record WriterSchema(SpecificDatumReader<T> Reader, EcsAvroTranscoder? Transcoder);

        private static int TimestampPosition()
        {
            var schema = (RecordSchema)Activator.CreateInstance<T>().Schema;
            return schema.Fields.First(field => EcsNames.SegmentOf(field) == "@timestamp").Pos;
        }
    }

    private sealed record DayIndex(long Day, string Name);

    /// <summary>A thread's reused JSON writer, buffer and input stream; each document is copied out as one exact-size array.</summary>
    private sealed class DocumentBuffer
    {
        private readonly ArrayReadStream _input = new();
        private readonly BinaryDecoder _decoder;

        private const int KeptCapacity = 1 << 20;
        private readonly Utf8JsonWriter _json;
        private ArrayBufferWriter<byte> _output = new(4096);

        public DocumentBuffer()
        {
            _json = new Utf8JsonWriter(_output, DocumentOptions);
            _decoder = new BinaryDecoder(_input);
        }

        /// <summary>A decoder over <paramref name="value"/> from <paramref name="offset"/>, without copying it.</summary>
        public BinaryDecoder Decoder(byte[] value, int offset)
        {
            _input.Reset(value, offset);
            return _decoder;
        }

        public byte[] Render(ISpecificRecord curated)
        {
            _output.ResetWrittenCount();
            _json.Reset(_output);
            try
            {
                EcsDocumentWriter.Write(curated, _json);
                _json.Flush();
                return _output.WrittenSpan.ToArray();
            }
            finally
            {
                Clear();
            }
        }

        // A record that failed halfway (or went to the other path) must not leave its bytes for the next one, nor a huge one its buffer.
        private void Clear()
        {
            if (_output.Capacity > KeptCapacity)
            {
                _output = new ArrayBufferWriter<byte>(4096);
            }

            _output.ResetWrittenCount();
            _json.Reset(_output);
        }
    }

    /// <summary>A read-only stream over a byte array that can be pointed at the next array: one per thread, not one per record.</summary>
    private sealed class ArrayReadStream : Stream
    {
        private byte[] _data = [];
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _data.Length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public void Reset(byte[] data, int offset)
        {
            _data = data;
            _position = offset;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _data.Length - _position);
            _data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int ReadByte() => _position < _data.Length ? _data[_position++] : -1;

        public override void Flush()
        {
        }

        // Avro's decoder skips what the reader schema does not have (a writer's extra field) by seeking ahead.
        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => _data.Length + offset,
            };
            if (target < 0 || target > _data.Length)
            {
                throw new EndOfStreamException($"cannot seek to {target} in a value of {_data.Length} bytes");
            }

            _position = (int)target;
            return _position;
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
