using Avro;
using Avro.IO;

namespace Streams.Contracts.Tests.Decoding;

/// <summary>
/// Seeded random Avro binary for any schema, written straight from the schema with Avro's BinaryEncoder, so it holds
/// what no writer of generated records produces: arrays and maps in several blocks, blocks with a negative count and
/// their byte size, repeated map keys, every union branch. Logical values stay within what their .NET types hold.
/// </summary>
internal sealed class RandomAvroBytes(int seed)
{
    private static readonly string[] Texts =
    [
        "", "a", "é", "日本語", "emoji 🚀🔑 and 👩‍👩‍👧", "Grüße, ключ", "nul\0 tab\t newline\n", "\uFFFD\u00A0\u200B\uFEFF",
        "quote \" backslash \\", new string('x', 63), new string('x', 64), new string('é', 200), new string('日', 3000),
    ];

    private static readonly long[] Longs = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue];

    private readonly Random _random = new(seed);

    public byte[] Create(Schema schema)
    {
        using var stream = new MemoryStream();
        var encoder = new BinaryEncoder(stream);
        Write(schema, encoder, stream, depth: 0);
        encoder.Flush();
        return stream.ToArray();
    }

    private void Write(Schema schema, BinaryEncoder encoder, MemoryStream stream, int depth)
    {
        switch (schema)
        {
            case RecordSchema record:
                foreach (var field in record.Fields)
                {
                    Write(field.Schema, encoder, stream, depth + 1);
                }

                return;
            case UnionSchema union:
                // Deep down, the null branch when there is one, so recursive schemas end.
                var nullBranch = union.Schemas.ToList().FindIndex(b => b.Tag == Schema.Type.Null);
                var branch = depth > 6 && nullBranch >= 0 ? nullBranch : _random.Next(union.Count);
                encoder.WriteUnionIndex(branch);
                Write(union[branch], encoder, stream, depth + 1);
                return;
            case EnumSchema symbols:
                encoder.WriteEnum(_random.Next(symbols.Count));
                return;
            case FixedSchema fixedSchema:
                var bytes = new byte[fixedSchema.Size];
                _random.NextBytes(bytes);
                encoder.WriteFixed(bytes);
                return;
            case LogicalSchema logical:
                WriteLogical(logical, encoder);
                return;
            case ArraySchema array:
                WriteBlocks(encoder, stream, depth, () => Write(array.ItemSchema, encoder, stream, depth + 1));
                return;
            case MapSchema map:
                var keys = new List<string>();
                WriteBlocks(encoder, stream, depth, () =>
                {
                    // Now and then a key already written, which the reader overwrites.
                    var key = keys.Count > 0 && _random.Next(5) == 0 ? keys[_random.Next(keys.Count)] : Text();
                    keys.Add(key);
                    encoder.WriteString(key);
                    Write(map.ValueSchema, encoder, stream, depth + 1);
                });
                return;
        }

        switch (schema.Tag)
        {
            case Schema.Type.Null:
                return;
            case Schema.Type.Boolean:
                encoder.WriteBoolean(_random.Next(2) == 0);
                return;
            case Schema.Type.Int:
                encoder.WriteInt(_random.Next(3) == 0 ? (int)Longs[_random.Next(11)] : _random.Next(int.MinValue, int.MaxValue));
                return;
            case Schema.Type.Long:
                encoder.WriteLong(_random.Next(3) == 0 ? Longs[_random.Next(Longs.Length)] : _random.NextInt64(long.MinValue, long.MaxValue));
                return;
            case Schema.Type.Float:
                encoder.WriteFloat(_random.Next(4) == 0 ? float.NaN : (float)((_random.NextDouble() - 0.5) * 1e6));
                return;
            case Schema.Type.Double:
                encoder.WriteDouble(_random.Next(4) == 0 ? double.NegativeInfinity : (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-300, 300)));
                return;
            case Schema.Type.String:
                encoder.WriteString(Text());
                return;
            case Schema.Type.Bytes:
                var data = new byte[_random.Next(3) == 0 ? 0 : _random.Next(1, 300)];
                _random.NextBytes(data);
                encoder.WriteBytes(data);
                return;
            default:
                throw new NotSupportedException($"no random bytes for {schema}");
        }
    }

    /// <summary>0 to 3 blocks of 0 to 5 items (fewer deeper down); a block's count negative, with its byte size, one time in three.</summary>
    private void WriteBlocks(BinaryEncoder encoder, MemoryStream stream, int depth, Action item)
    {
        var blocks = depth > 5 ? 0 : _random.Next(4);
        for (var b = 0; b < blocks; b++)
        {
            var count = _random.Next(1, 6);
            if (_random.Next(3) == 0)
            {
                var start = stream.Position;
                for (var i = 0; i < count; i++)
                {
                    item();
                }

                encoder.Flush();
                var items = stream.ToArray()[(int)start..];
                stream.SetLength(start);
                encoder.WriteLong(-count);
                encoder.WriteLong(items.Length);
                encoder.Flush();
                stream.Write(items);
            }
            else
            {
                encoder.WriteLong(count);
                for (var i = 0; i < count; i++)
                {
                    item();
                }
            }
        }

        encoder.WriteLong(0);
    }

    private void WriteLogical(LogicalSchema logical, BinaryEncoder encoder)
    {
        switch (logical.LogicalTypeName)
        {
            case "timestamp-millis":
                encoder.WriteLong(_random.NextInt64(-62_135_596_800_000L, 253_402_300_799_999L));
                return;
            case "timestamp-micros":
                encoder.WriteLong(_random.NextInt64(-62_135_596_800_000_000L, 253_402_300_799_999_999L));
                return;
            case "date":
                encoder.WriteInt(_random.Next(-719_162, 2_932_896));
                return;
            case "time-millis":
                encoder.WriteInt(_random.Next(0, 86_400_000));
                return;
            case "time-micros":
                encoder.WriteLong(_random.NextInt64(0, 86_400_000_000L));
                return;
            default:
                throw new NotSupportedException($"no random value for {logical}");
        }
    }

    private string Text()
    {
        var text = Texts[_random.Next(Texts.Length)];
        return _random.Next(4) == 0 ? text + Texts[_random.Next(Texts.Length)] + _random.Next() : text;
    }
}
