using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Avro;

namespace Streams.Contracts.Documents;

/// <summary>
/// Writes the document <see cref="EcsDocumentWriter"/> would write for a record, straight from the record's Avro binary
/// encoding: no decoded record, no boxed values, no UTF-16 strings. Compiled once per record schema; the bytes must be
/// written with that very schema (the caller checks the writer schema is the reader's, else it decodes as before).
/// </summary>
/// <remarks>
/// The rules are <see cref="EcsDocumentWriter"/>'s: names from <see cref="EcsRecordPlan"/>, nulls, non-finite numbers,
/// empty arrays and maps and records with nothing in them left out. A nested object is opened only when its first value
/// is written, so an empty one leaves nothing behind. The JSON is what <see cref="Utf8JsonWriter"/> writes with
/// <see cref="EcsDocumentWriter.Encoder"/>, made the way it makes it: text escaped by that encoder from the first byte it
/// says needs it, numbers in their invariant shortest form. What it does not handle the way the decoded path does (a
/// schema with enums, bytes, fixed, unions other than ["null", T], recursion; a string that is not valid UTF-8; a map
/// repeating a key) it refuses: <see cref="TryCreate"/> returns null, or <see cref="TryTranscode"/> returns false and the
/// caller renders the decoded record instead.
/// </remarks>
public sealed class EcsAvroTranscoder
{
    private const int MaxCheckedMapKeys = 64;
    private const int KeptCapacity = 1 << 20;
    private const string EventRecord = "Streams.Contracts.Curated.Event";
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [ThreadStatic]
    private static Scratch? _scratch;

    private readonly RecordOp _root;

    private EcsAvroTranscoder(RecordOp root) => _root = root;

    /// <summary>Whether the root has an @timestamp field that <see cref="TryTranscode"/> hands back.</summary>
    public bool HasTimestamp { get; private init; }

    /// <summary>
    /// The transcoder of <paramref name="schema"/>, or null when the schema holds something it does not transcode
    /// exactly as <see cref="EcsDocumentWriter"/> writes the decoded record.
    /// </summary>
    public static EcsAvroTranscoder? TryCreate(RecordSchema schema)
    {
        var compiling = new HashSet<string>(StringComparer.Ordinal);
        var root = CompileRecord(schema, compiling, Role.Root);
        if (root is null)
        {
            return null;
        }

        return new EcsAvroTranscoder(root) { HasTimestamp = root.Fields.Any(f => f.Capture == Capture.Timestamp) };
    }

    /// <summary>
    /// The document (one JSON object, UTF-8) of the record encoded in <paramref name="body"/> (Avro binary, no framing),
    /// in a buffer of the calling thread that the thread's next call reuses. Returns false when the record holds something
    /// only the decoded path renders (see the remarks); throws on bytes that are not a record of the schema.
    /// </summary>
    /// <param name="json">The document, valid until the thread's next call.</param>
    /// <param name="timestamp">The root's @timestamp field (null when it has none or it is null).</param>
    /// <param name="eventId">The UTF-8 bytes of event.id within <paramref name="body"/>, empty when null or empty.</param>
    public bool TryTranscode(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> json, out DateTime? timestamp, out Range eventId)
    {
        var scratch = _scratch ??= new Scratch();
        scratch.Reset();
        var walker = new Walker(body, scratch);
        try
        {
            walker.WriteDocument(_root);
        }
        catch (FallbackException)
        {
            json = default;
            timestamp = null;
            eventId = default;
            return false;
        }
        finally
        {
            if (scratch.Output.Length > KeptCapacity)
            {
                // A huge document must not keep its buffer; this one is still read by the caller.
                _scratch = null;
            }
        }

        json = scratch.Output.AsSpan(0, scratch.Length);
        timestamp = scratch.Timestamp;
        eventId = scratch.EventId;
        return true;
    }

    private static RecordOp? CompileRecord(RecordSchema schema, HashSet<string> compiling, Role role)
    {
        if (!compiling.Add(schema.Fullname))
        {
            // Recursive: the decoded path handles it, a compiled tree would not end.
            return null;
        }

        var plan = EcsRecordPlan.For(schema);
        var fields = new FieldOp[schema.Fields.Count];
        foreach (var field in schema.Fields)
        {
            // The document id falls back to event.id: the root's field "event" of the curated Event record, its field "id".
            var isEvent = role == Role.Root && field.Name == "event" && EcsSchemas.UnwrapNullable(field.Schema).Fullname == EventRecord;
            var value = CompileValue(field.Schema, compiling, isEvent ? Role.Event : Role.Other);
            if (value is null)
            {
                return null;
            }

            var capture = Capture.None;
            if (role == Role.Root && EcsNames.SegmentOf(field) == "@timestamp" && value.Kind == Op.Timestamp)
            {
                capture = Capture.Timestamp;
            }
            else if (role == Role.Event && field.Name == "id" && value.Kind == Op.String)
            {
                capture = Capture.EventId;
            }

            fields[field.Pos] = new FieldOp(NameBytes(plan.Fields[field.Pos].Name), value, capture);
        }

        compiling.Remove(schema.Fullname);
        return new RecordOp(fields);
    }

    private static ValueOp? CompileValue(Schema schema, HashSet<string> compiling, Role role = Role.Other)
    {
        var nullIndex = -1;
        if (schema is UnionSchema union)
        {
            var unwrapped = EcsSchemas.UnwrapNullable(union);
            if (ReferenceEquals(unwrapped, union))
            {
                // A union of several non-null branches: written by the value's runtime type in the decoded path.
                return null;
            }

            nullIndex = union.Schemas[0].Tag == Schema.Type.Null ? 0 : 1;
            schema = unwrapped;
        }

        ValueOp? op = schema switch
        {
            RecordSchema record => CompileRecord(record, compiling, role) is { } nested ? new ValueOp(Op.Record, nullIndex, Record: nested) : null,
            ArraySchema array => CompileValue(array.ItemSchema, compiling) is { } items ? new ValueOp(Op.Array, nullIndex, Items: items) : null,
            MapSchema map => CompileValue(map.ValueSchema, compiling) is { } values ? new ValueOp(Op.Map, nullIndex, Items: values) : null,
            LogicalSchema { LogicalTypeName: "timestamp-micros", BaseSchema.Tag: Schema.Type.Long } => new ValueOp(Op.Timestamp, nullIndex, Micros: true),
            LogicalSchema { LogicalTypeName: "timestamp-millis", BaseSchema.Tag: Schema.Type.Long } => new ValueOp(Op.Timestamp, nullIndex, Micros: false),
            LogicalSchema => null,
            _ => schema.Tag switch
            {
                Schema.Type.String => new ValueOp(Op.String, nullIndex),
                Schema.Type.Long => new ValueOp(Op.Long, nullIndex),
                Schema.Type.Int => new ValueOp(Op.Int, nullIndex),
                Schema.Type.Double => new ValueOp(Op.Double, nullIndex),
                Schema.Type.Float => new ValueOp(Op.Float, nullIndex),
                Schema.Type.Boolean => new ValueOp(Op.Boolean, nullIndex),
                _ => null,
            },
        };
        return op;
    }

    // "name": as Utf8JsonWriter writes a property name that is already encoded.
    private static byte[] NameBytes(JsonEncodedText name)
    {
        var encoded = name.EncodedUtf8Bytes;
        var bytes = new byte[encoded.Length + 3];
        bytes[0] = (byte)'"';
        encoded.CopyTo(bytes.AsSpan(1));
        bytes[^2] = (byte)'"';
        bytes[^1] = (byte)':';
        return bytes;
    }

    private enum Op : byte
    {
        String,
        Long,
        Int,
        Double,
        Float,
        Boolean,
        Timestamp,
        Record,
        Array,
        Map,
    }

    private enum Role : byte
    {
        Root,
        Event,
        Other,
    }

    private enum Capture : byte
    {
        None,
        Timestamp,
        EventId,
    }

    private sealed record RecordOp(FieldOp[] Fields);

    /// <param name="Name">The field's <c>"name":</c>, encoded.</param>
    private sealed record FieldOp(byte[] Name, ValueOp Value, Capture Capture);

    /// <param name="NullIndex">The union branch that is null, or -1 when the value is not a ["null", T] union.</param>
    private sealed record ValueOp(Op Kind, int NullIndex, RecordOp? Record = null, ValueOp? Items = null, bool Micros = true);

    /// <summary>
    /// How a value about to be written is named: a field (its encoded <c>"name":</c>), a map key (bytes of the input,
    /// <paramref name="KeyStart"/> ≥ 0) or nothing (an array item).
    /// </summary>
    private readonly record struct Name(byte[]? Field, int KeyStart, int KeyLength)
    {
        public static Name None => new(null, -1, 0);

        public static Name Of(byte[] field) => new(field, -1, 0);

        public static Name OfKey(int start, int length) => new(null, start, length);
    }

    /// <summary>
    /// Per-thread state of one document: the output, whether each open object or array has a value yet, the objects not
    /// yet opened, and the keys of the maps being written.
    /// </summary>
    private sealed class Scratch
    {
        public byte[] Output = new byte[16 * 1024];
        public int Length;
        public bool[] HasValue = new bool[16];
        public int Depth;
        public Name[] Pending = new Name[16];
        public int PendingCount;
        public int[] Keys = new int[2 * MaxCheckedMapKeys];
        public int KeyCount;
        public DateTime? Timestamp;
        public Range EventId;

        public void Reset()
        {
            Length = 0;
            Depth = 0;
            PendingCount = 0;
            KeyCount = 0;
            Timestamp = null;
            EventId = default;
        }

        public void Push(Name name)
        {
            if (PendingCount == Pending.Length)
            {
                Array.Resize(ref Pending, Pending.Length * 2);
            }

            Pending[PendingCount++] = name;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public Span<byte> Reserve(int bytes)
        {
            if (Output.Length - Length < bytes)
            {
                Grow(bytes);
            }

            return Output.AsSpan(Length);
        }

        private void Grow(int bytes) => Array.Resize(ref Output, Math.Max(checked(Length + bytes), Output.Length * 2));
    }

    private sealed class FallbackException : Exception
    {
        public static readonly FallbackException Instance = new();
    }

    // Its methods are optimized from their first call (AggressiveOptimization): a sink that has just started spends
    // its first seconds here, and tiering would run them unoptimized or instrumented for much of that.
    private ref struct Walker(ReadOnlySpan<byte> input, Scratch scratch)
    {
        private static readonly JavaScriptEncoder Encoder = EcsDocumentWriter.Encoder;

        // For each ASCII byte, whether the encoder escapes it.
        private static readonly bool[] EscapedAscii = Enumerable.Range(0, 128).Select(b => Encoder.FindFirstCharacterToEncodeUtf8([(byte)b]) == 0).ToArray();

        private readonly ReadOnlySpan<byte> _input = input;
        private int _position;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WriteDocument(RecordOp root)
        {
            StartContainer((byte)'{');
            WriteFields(root);
            EndContainer((byte)'}');
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WriteFields(RecordOp record)
        {
            foreach (var field in record.Fields)
            {
                WriteValue(field.Value, Name.Of(field.Name), field.Capture);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WriteValue(ValueOp op, Name name, Capture capture)
        {
            if (op.NullIndex >= 0)
            {
                var branch = ReadInt();
                if (branch == op.NullIndex)
                {
                    return;
                }

                if (branch != 1 - op.NullIndex)
                {
                    throw new AvroException($"union index {branch} out of range for a union of two branches");
                }
            }

            switch (op.Kind)
            {
                case Op.String:
                    {
                        var text = ReadBytes();
                        if (capture == Capture.EventId)
                        {
                            scratch.EventId = (_position - text.Length).._position;
                        }

                        Open(name);
                        WriteText(text);
                        break;
                    }

                case Op.Long:
                    {
                        var number = ReadLong();
                        Open(name);
                        var span = scratch.Reserve(20);
                        number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
                        scratch.Length += written;
                        break;
                    }

                case Op.Int:
                    {
                        var number = ReadInt();
                        Open(name);
                        var span = scratch.Reserve(11);
                        number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
                        scratch.Length += written;
                        break;
                    }

                case Op.Double:
                    {
                        var number = BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
                        if (double.IsFinite(number))
                        {
                            Open(name);
                            var span = scratch.Reserve(32);
                            number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
                            scratch.Length += written;
                        }

                        break;
                    }

                case Op.Float:
                    {
                        var number = BinaryPrimitives.ReadSingleLittleEndian(Take(4));
                        if (float.IsFinite(number))
                        {
                            Open(name);
                            var span = scratch.Reserve(32);
                            number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
                            scratch.Length += written;
                        }

                        break;
                    }

                case Op.Boolean:
                    {
                        var b = Take(1)[0];
                        if (b > 1)
                        {
                            throw new AvroException($"Not a boolean value in the stream: {b}");
                        }

                        Open(name);
                        Append(b == 1 ? "true"u8 : "false"u8);
                        break;
                    }

                case Op.Timestamp:
                    {
                        var raw = ReadLong();
                        // As Avro's TimestampMicrosecond and TimestampMillisecond make the DateTime, overflow and range checks included.
                        var time = op.Micros ? UnixEpoch.AddTicks(unchecked(raw * 10)) : UnixEpoch.AddMilliseconds(raw);
                        if (capture == Capture.Timestamp)
                        {
                            scratch.Timestamp = time;
                        }

                        Open(name);
                        var span = scratch.Reserve(29);
                        span[0] = (byte)'"';
                        FormatTimestamp(time, span.Slice(1, 27));
                        span[28] = (byte)'"';
                        scratch.Length += 29;
                        break;
                    }

                case Op.Record:
                    {
                        var level = scratch.PendingCount;
                        scratch.Push(name);
                        WriteFields(op.Record!);
                        if (scratch.PendingCount > level)
                        {
                            // Nothing in it: never opened, so nothing to close.
                            scratch.PendingCount = level;
                        }
                        else
                        {
                            EndContainer((byte)'}');
                        }

                        break;
                    }

                case Op.Array:
                    {
                        var count = ReadBlockCount();
                        if (count == 0)
                        {
                            break;
                        }

                        Open(name);
                        StartContainer((byte)'[');
                        for (; count != 0; count = ReadBlockCount())
                        {
                            for (long i = 0; i < count; i++)
                            {
                                WriteValue(op.Items!, Name.None, Capture.None);
                            }
                        }

                        EndContainer((byte)']');
                        break;
                    }

                case Op.Map:
                    {
                        var count = ReadBlockCount();
                        if (count == 0)
                        {
                            break;
                        }

                        Open(name);
                        StartContainer((byte)'{');
                        var keysBase = scratch.KeyCount;
                        for (; count != 0; count = ReadBlockCount())
                        {
                            for (long i = 0; i < count; i++)
                            {
                                var length = ReadLength();
                                var start = _position;
                                var key = Take(length);
                                CheckNewKey(keysBase, start, key);
                                WriteValue(op.Items!, Name.OfKey(start, length), Capture.None);
                            }
                        }

                        scratch.KeyCount = keysBase;
                        EndContainer((byte)'}');
                        break;
                    }
            }
        }

        /// <summary>
        /// Before a value: opens the objects still pending (outermost first), then writes the separator and the value's
        /// name. The decoded path writes a map's repeated key once, where it first came, with the last value: not done here.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Open(Name name)
        {
            for (var i = 0; i < scratch.PendingCount; i++)
            {
                WriteName(scratch.Pending[i]);
                StartContainer((byte)'{');
            }

            scratch.PendingCount = 0;
            WriteName(name);
        }

        // The separator the value needs, then its name if it has one.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WriteName(Name name)
        {
            ref var hasValue = ref scratch.HasValue[scratch.Depth];
            if (hasValue)
            {
                Append((byte)',');
            }

            hasValue = true;
            if (name.Field is { } field)
            {
                Append(field);
            }
            else if (name.KeyStart >= 0)
            {
                WriteText(_input.Slice(name.KeyStart, name.KeyLength));
                Append((byte)':');
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void StartContainer(byte open)
        {
            Append(open);
            if (++scratch.Depth == scratch.HasValue.Length)
            {
                Array.Resize(ref scratch.HasValue, scratch.HasValue.Length * 2);
            }

            scratch.HasValue[scratch.Depth] = false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EndContainer(byte close)
        {
            scratch.Depth--;
            Append(close);
        }

        /// <summary>
        /// A JSON string as Utf8JsonWriter writes one: copied up to the first byte the encoder wants escaped, the rest
        /// through the encoder. Text that is not UTF-8 goes to the decoded path, which replaces what is not.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WriteText(ReadOnlySpan<byte> text)
        {
            var escapeFrom = FirstToEscape(text);
            if (escapeFrom < 0)
            {
                var span = scratch.Reserve(text.Length + 2);
                span[0] = (byte)'"';
                text.CopyTo(span[1..]);
                span[text.Length + 1] = (byte)'"';
                scratch.Length += text.Length + 2;
                return;
            }

            // The encoder reports invalid UTF-8 as text to escape; what it would make of it is not what the decoded path makes.
            if (!Utf8.IsValid(text[escapeFrom..]))
            {
                throw FallbackException.Instance;
            }

            // At most six bytes (\uXXXX) for each byte, as Utf8JsonWriter sizes it.
            var output = scratch.Reserve(checked((text.Length * 6) + 2));
            output[0] = (byte)'"';
            text[..escapeFrom].CopyTo(output[1..]);
            var status = Encoder.EncodeUtf8(text[escapeFrom..], output[(1 + escapeFrom)..], out _, out var written);
            if (status != System.Buffers.OperationStatus.Done)
            {
                throw FallbackException.Instance;
            }

            output[1 + escapeFrom + written] = (byte)'"';
            scratch.Length += escapeFrom + written + 2;
        }

        /// <summary>
        /// What <c>Encoder.FindFirstCharacterToEncodeUtf8</c> answers: ASCII by a table the encoder filled in, from the first
        /// non-ASCII byte by the encoder itself. Most text is ASCII, and the encoder's vectorized search starts out
        /// unoptimized, which a sink that has just started pays for.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int FirstToEscape(ReadOnlySpan<byte> text)
        {
            var escapedAscii = EscapedAscii;
            for (var i = 0; i < text.Length; i++)
            {
                var b = text[i];
                if (b >= 0x80)
                {
                    var rest = Encoder.FindFirstCharacterToEncodeUtf8(text[i..]);
                    return rest < 0 ? -1 : i + rest;
                }

                if (escapedAscii[b])
                {
                    return i;
                }
            }

            return -1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        private void Append(byte b)
        {
            scratch.Reserve(1)[0] = b;
            scratch.Length++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(scratch.Reserve(bytes.Length));
            scratch.Length += bytes.Length;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckNewKey(int keysBase, int start, ReadOnlySpan<byte> key)
        {
            if (scratch.KeyCount + 2 > scratch.Keys.Length || (scratch.KeyCount - keysBase) / 2 >= MaxCheckedMapKeys)
            {
                throw FallbackException.Instance;
            }

            for (var i = keysBase; i < scratch.KeyCount; i += 2)
            {
                if (_input.Slice(scratch.Keys[i], scratch.Keys[i + 1]).SequenceEqual(key))
                {
                    throw FallbackException.Instance;
                }
            }

            scratch.Keys[scratch.KeyCount++] = start;
            scratch.Keys[scratch.KeyCount++] = key.Length;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _input.Length - _position)
            {
                throw new EndOfStreamException("the record ends before its schema does");
            }

            var span = _input.Slice(_position, length);
            _position += length;
            return span;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<byte> ReadBytes() => Take(ReadLength());

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ReadLength()
        {
            var length = ReadLong();
            if (length < 0 || length > int.MaxValue)
            {
                throw new AvroException($"Can not deserialize a string with negative length {length}");
            }

            return (int)length;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long ReadBlockCount()
        {
            var count = ReadLong();
            if (count < 0)
            {
                // A negative count is followed by the block's size in bytes.
                ReadLong();
                count = -count;
            }

            return count;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ReadInt()
        {
            var value = ReadLong();
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw new AvroException("Invalid int encoding");
            }

            return (int)value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        private long ReadLong()
        {
            // Most values (union branches, lengths, counts) fit in one byte.
            if (_position < _input.Length && _input[_position] < 0x80)
            {
                var b = _input[_position++];
                return (b >> 1) ^ -(b & 1);
            }

            return ReadLongSlow();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long ReadLongSlow()
        {
            ulong result = 0;
            var shift = 0;
            while (true)
            {
                if (_position >= _input.Length)
                {
                    throw new EndOfStreamException("the record ends before its schema does");
                }

                var b = _input[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }

                shift += 7;
                if (shift > 63)
                {
                    throw new AvroException("Invalid long encoding");
                }
            }

            return (long)(result >> 1) ^ -(long)(result & 1);
        }
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss.ffffffZ, as <see cref="EcsDocumentWriter"/> formats a UTC timestamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FormatTimestamp(DateTime time, Span<byte> text)
    {
        time.Deconstruct(out int year, out int month, out int day);
        Digits(text[..4], year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), time.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), time.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), time.Second);
        text[19] = (byte)'.';
        Digits(text.Slice(20, 6), (int)(time.Ticks % TimeSpan.TicksPerSecond / 10));
        text[26] = (byte)'Z';
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
