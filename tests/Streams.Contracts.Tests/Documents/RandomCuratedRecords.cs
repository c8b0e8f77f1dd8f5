using System.Collections;
using Avro;
using Avro.Specific;

namespace Streams.Contracts.Tests.Documents;

/// <summary>
/// Seeded random records of any generated type: every union null or set, arrays and maps empty or not (with null,
/// non-finite and empty-record items), strings from a pool of escapes, control characters, non-ASCII text and emoji,
/// numbers at their edges, timestamps before 1970 and far ahead. Nested records are often all-null, so empty objects
/// at every depth come up.
/// </summary>
internal sealed class RandomCuratedRecords(int seed)
{
    private static readonly string[] Texts =
    [
        "", "a", "GET", "127.0.0.1", "quote \" backslash \\ slash /", "tab\tnewline\ncr\r", "nul\0 bell\a esc\u001b del\u007f",
        "<script>&'</script>", "Grüße, 日本語, ключ", "emoji 🚀🔑 and 👩‍👩‍👧", "\u2028\u2029 line separators", "\uFFFD\u00A0\u200B\uFEFF",
        "\u0080\u009f C1", "+ = ` ~ % #", "   ", "{\"json\":[1,2,{}]}", "éèê", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    ];

    private static readonly double[] Doubles =
    [
        0.0, -0.0, 1.5, -2.25, 0.1, 1e-300, double.Epsilon, double.MaxValue, double.MinValue, 123456789.123456789,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 59.3293, 1e21, 1e15,
    ];

    private static readonly long[] Longs = [0, 1, -1, 63, 64, -64, -65, 300, long.MaxValue, long.MinValue, int.MaxValue + 1L, 2_475_469_000];

    private readonly Random _random = new(seed);

    public ISpecificRecord Create(RecordSchema schema)
    {
        var record = (ISpecificRecord)Activator.CreateInstance(SampleRecords.ClrType(schema))!;
        foreach (var field in schema.Fields)
        {
            record.Put(field.Pos, Value(field.Schema, depth: 0));
        }

        return record;
    }

    private object? Value(Schema schema, int depth)
    {
        if (schema is UnionSchema union)
        {
            // Null about half the time at the top, more often deeper down.
            return _random.NextDouble() < 0.4 + (0.1 * depth) ? null : Value(union.Schemas.Single(b => b.Tag != Schema.Type.Null), depth);
        }

        switch (schema)
        {
            case RecordSchema record:
                var nested = (ISpecificRecord)Activator.CreateInstance(SampleRecords.ClrType(record))!;
                foreach (var field in record.Fields)
                {
                    nested.Put(field.Pos, Value(field.Schema, depth + 1));
                }

                return nested;
            case LogicalSchema logical:
                return Instant(logical.LogicalTypeName);
            case ArraySchema array:
                var list = (IList)Activator.CreateInstance(SampleRecords.ClrType(array))!;
                var items = _random.Next(4);
                for (var i = 0; i < items; i++)
                {
                    list.Add(Value(array.ItemSchema, depth + 1));
                }

                return list;
            case MapSchema map:
                var dictionary = (IDictionary)Activator.CreateInstance(SampleRecords.ClrType(map))!;
                var entries = _random.Next(4);
                for (var i = 0; i < entries; i++)
                {
                    var key = Text();
                    if (!dictionary.Contains(key))
                    {
                        dictionary.Add(key, Value(map.ValueSchema, depth + 1));
                    }
                }

                return dictionary;
        }

        return schema.Tag switch
        {
            Schema.Type.String => Text(),
            Schema.Type.Long => _random.Next(3) == 0 ? Longs[_random.Next(Longs.Length)] : _random.NextInt64(),
            Schema.Type.Int => _random.Next(3) == 0 ? (int)Longs[_random.Next(7)] : _random.Next(int.MinValue, int.MaxValue),
            Schema.Type.Double => _random.Next(3) == 0 ? Doubles[_random.Next(Doubles.Length)] : (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-10, 12)),
            Schema.Type.Boolean => _random.Next(2) == 0,
            _ => throw new NotSupportedException($"no random value for {schema}"),
        };
    }

    private string Text()
    {
        var text = Texts[_random.Next(Texts.Length)];
        return _random.Next(4) == 0 ? text + Texts[_random.Next(Texts.Length)] + _random.Next() : text;
    }

    private DateTime Instant(string logicalType)
    {
        // From 1900 to 2200, to the tick; the encoding keeps microseconds or milliseconds of it.
        var min = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var max = new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var ticks = _random.Next(5) == 0 ? new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks + _random.Next(-20_000_000, 20_000_000) : _random.NextInt64(min, max);
        var time = new DateTime(ticks, DateTimeKind.Utc);
        return logicalType == "timestamp-millis" ? new DateTime(ticks - (ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc) : time.AddTicks(-(ticks % 10));
    }
}
