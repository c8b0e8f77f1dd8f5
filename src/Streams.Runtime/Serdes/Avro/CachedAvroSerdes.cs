using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// Confluent's wire format (magic byte 0, big-endian schema id, Avro binary). The schema id of each topic is learnt once
/// from Confluent's own serializer (which registers or looks it up as configured, and whose first output is returned as
/// is); after that a record costs one write by a <see cref="SpecificRecordEncoder"/> planned for the schema, with no
/// registry call or task, where Confluent's sync-over-async serializer waits on a task per record. A schema the encoder
/// does not plan is written by a cached <see cref="SpecificDatumWriter{T}"/>, and so is a record the encoder throws on,
/// so that a bad record fails with the Avro writer's own exception.
/// </summary>
internal sealed class CachedAvroSerializer<T>(ISerializer<T> confluent) : ISerializer<T>, ISpanSerializer<T>
    where T : ISpecificRecord
{
    private readonly ConcurrentDictionary<(string? Topic, MessageComponentType Component), int> _ids = new();
    private readonly ThreadLocal<MemoryStream> _buffer = new(() => new MemoryStream(512));
    private SpecificDatumWriter<T>? _writer;
    private SpecificRecordEncoder? _encoder;

    public byte[] Serialize(T data, SerializationContext context)
    {
        if (data is null)
        {
            return null!;
        }

        if (!_ids.TryGetValue((context.Topic, context.Component), out var id))
        {
            var first = confluent.Serialize(data, context);
            _writer ??= new SpecificDatumWriter<T>(data.Schema);
            _encoder ??= SpecificRecordEncoder.TryCreate(data.Schema);
            _ids[(context.Topic, context.Component)] = BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(1, 4));
            return first;
        }

        if (_encoder is { } encoder)
        {
            try
            {
                return encoder.Encode(data, id);
            }
            catch (Exception)
            {
                // Written again below: the Avro writer either throws its own exception for this record or writes it.
            }
        }

        var stream = _buffer.Value!;
        stream.SetLength(0);
        stream.WriteByte(0);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, id);
        stream.Write(header);
        _writer!.Write(data, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>
    /// The planned encoder's output in its thread buffer, once the topic's schema id is known. Anything else (null,
    /// the first record of a topic, a schema the encoder does not plan, a record it throws on) is left to
    /// <see cref="Serialize"/>, which registers, falls back to the Avro writer, or throws the Avro writer's exception.
    /// </summary>
    public bool TrySerialize(T data, SerializationContext context, out ReadOnlySpan<byte> bytes)
    {
        if (data is not null && _encoder is { } encoder && _ids.TryGetValue((context.Topic, context.Component), out var id))
        {
            try
            {
                bytes = encoder.EncodeToThreadBuffer(data, id);
                return true;
            }
            catch (Exception)
            {
                // Serialize writes it again, and so throws the Avro writer's own exception for it if it throws at all.
            }
        }

        bytes = default;
        return false;
    }
}

/// <summary>
/// Reads Confluent's wire format per writer schema id (the writer schema fetched from the registry once). When the
/// writer schema is <typeparamref name="T"/>'s own, the common case, a record is read by a
/// <see cref="SpecificRecordDecoder"/> planned once for that schema, straight from the span; any other writer schema
/// (schema evolution), or a schema the decoder does not plan, is read by a cached <see cref="SpecificDatumReader{T}"/>
/// resolving it against <typeparamref name="T"/>'s schema as Confluent's deserializer does. No task per record.
/// Framing errors throw <see cref="InvalidDataException"/> as Confluent's do; malformed Avro throws an AvroException.
/// </summary>
internal sealed class CachedAvroDeserializer<T>(ISchemaRegistryClient registry) : IDeserializer<T>
    where T : ISpecificRecord
{
    private static readonly global::Avro.Schema ReaderSchema = Activator.CreateInstance<T>().Schema;
    private static readonly Lazy<SpecificRecordDecoder?> Decoder = new(() => SpecificRecordDecoder.TryCreate(ReaderSchema));
    private readonly ConcurrentDictionary<int, WriterSchemaReader> _readers = new();
    private readonly ThreadLocal<MemoryStream> _buffer = new(() => new MemoryStream(512));

    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return default!;
        }

        if (data.Length < 5)
        {
            throw new InvalidDataException($"Expecting data framing of length 5 bytes or more but total data size is {data.Length} bytes");
        }

        if (data[0] != 0)
        {
            throw new InvalidDataException($"Expecting message {context.Component} with Confluent Schema Registry framing. Magic byte was {data[0]}, expecting 0");
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(data.Slice(1, 4));
        // TryGetValue first: GetOrAdd(id, Reader) would allocate a delegate per record.
        if (!_readers.TryGetValue(id, out var reader))
        {
            reader = _readers.GetOrAdd(id, Reader);
        }

        if (reader.Decoder is { } decoder)
        {
            return (T)decoder.Decode(data[5..]);
        }

        var stream = _buffer.Value!;
        stream.SetLength(0);
        stream.Write(data[5..]);
        stream.Position = 0;
        return reader.Avro!.Read(default!, new BinaryDecoder(stream));
    }

    /// <summary>Whether records written with <paramref name="writer"/> are read by the planned decoder: only when it is the reader's schema itself.</summary>
    internal static bool IsReaderSchema(global::Avro.Schema writer) =>
        ReferenceEquals(writer, ReaderSchema) || string.Equals(writer.ToString(), ReaderSchema.ToString(), StringComparison.Ordinal);

    private WriterSchemaReader Reader(int id)
    {
        var registered = registry.GetSchemaAsync(id).ConfigureAwait(false).GetAwaiter().GetResult();
        var writer = global::Avro.Schema.Parse(registered.SchemaString);
        return IsReaderSchema(writer) && Decoder.Value is { } decoder
            ? new WriterSchemaReader(decoder, null)
            : new WriterSchemaReader(null, new SpecificDatumReader<T>(writer, ReaderSchema));
    }

    /// <summary>The planned decoder, or else the Avro reader, of one writer schema.</summary>
    private sealed record WriterSchemaReader(SpecificRecordDecoder? Decoder, SpecificDatumReader<T>? Avro);
}
