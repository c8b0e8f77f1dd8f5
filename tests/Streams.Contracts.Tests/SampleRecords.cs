using System.Collections;
using System.Text;
using Avro;
using Avro.Specific;

namespace Streams.Contracts.Tests;

public enum SampleVariant
{
    /// <summary>Required fields only; every union is null, required strings are empty.</summary>
    Minimal,

    /// <summary>Every field set, strings with non-ASCII text (accents, CJK, emoji, quotes, newlines, NUL).</summary>
    Full,

    /// <summary>Every field set to a boundary value: extreme numbers, a pre-1970 instant, empty collections, 1 MB text.</summary>
    Extremes,
}

/// <summary>
/// Builds instances of the generated types by walking their schema, so every field of every type is covered,
/// including fields added later. Values derive from the field path, so two swapped fields cannot compare equal.
/// </summary>
internal static class SampleRecords
{
    public const int LongStringLength = 1024 * 1024;

    private static readonly DateTime MicrosInstant = new DateTime(2026, 11, 22, 16, 13, 34, DateTimeKind.Utc).AddTicks(731_960);
    private static readonly DateTime MillisInstant = new DateTime(2026, 11, 22, 16, 13, 35, 73, DateTimeKind.Utc);

    public static T Create<T>(SampleVariant variant)
        where T : ISpecificRecord, new() => (T)Create((RecordSchema)new T().Schema, variant, "");

    public static ISpecificRecord Create(RecordSchema schema, SampleVariant variant, string path)
    {
        var record = (ISpecificRecord)Activator.CreateInstance(ClrType(schema))!;
        foreach (var field in schema.Fields)
        {
            record.Put(field.Pos, Value(field.Schema, variant, path + field.Name));
        }

        return record;
    }

    public static Type ClrType(Schema schema) => schema switch
    {
        NamedSchema named when schema.Tag is Schema.Type.Record or Schema.Type.Enumeration =>
            typeof(SchemaCatalog).Assembly.GetType(named.Fullname, throwOnError: true)!,
        LogicalSchema => typeof(DateTime),
        ArraySchema array => typeof(List<>).MakeGenericType(ClrType(array.ItemSchema)),
        MapSchema map => typeof(Dictionary<,>).MakeGenericType(typeof(string), ClrType(map.ValueSchema)),
        _ => schema.Tag switch
        {
            Schema.Type.String => typeof(string),
            Schema.Type.Long => typeof(long),
            Schema.Type.Int => typeof(int),
            Schema.Type.Double => typeof(double),
            Schema.Type.Boolean => typeof(bool),
            _ => throw new NotSupportedException($"no sample for {schema}"),
        },
    };

    private static object? Value(Schema schema, SampleVariant variant, string path)
    {
        if (schema is UnionSchema union)
        {
            return variant == SampleVariant.Minimal ? null : Value(union.Schemas.Single(branch => branch.Tag != Schema.Type.Null), variant, path);
        }

        var seed = StableSeed(path);
        switch (schema)
        {
            case RecordSchema record:
                return Create(record, variant, path + ".");
            case EnumSchema symbols:
                return Enum.ToObject(ClrType(symbols), variant == SampleVariant.Full ? seed % symbols.Count : symbols.Count - 1);
            case LogicalSchema logical:
                return Instant(logical.LogicalTypeName, variant, seed);
            case ArraySchema array:
                var list = (IList)Activator.CreateInstance(ClrType(array))!;
                var count = variant == SampleVariant.Full ? 3 : 0;
                for (var i = 0; i < count; i++)
                {
                    list.Add(Value(array.ItemSchema, variant, $"{path}[{i}]"));
                }

                return list;
            case MapSchema map:
                var dictionary = (IDictionary)Activator.CreateInstance(ClrType(map))!;
                if (variant == SampleVariant.Full)
                {
                    dictionary.Add("team", Value(map.ValueSchema, variant, path + ".team"));
                    dictionary.Add("ключ 🔑", Value(map.ValueSchema, variant, path + ".key"));
                }

                return dictionary;
        }

        return (schema.Tag, variant) switch
        {
            (Schema.Type.String, SampleVariant.Minimal) => "",
            (Schema.Type.String, SampleVariant.Full) => $"{path}: Grüße, 日本語, emoji 🚀, \"quoted\", tab\tnewline\n, nul\0.",
            (Schema.Type.String, _) => path is "message" or "text" ? LongString(path) : "\uFFFD\u00A0\u200B",
            (Schema.Type.Long, SampleVariant.Extremes) => seed % 2 == 0 ? long.MinValue : long.MaxValue,
            (Schema.Type.Long, _) => 1_000_000_000_000L + seed,
            (Schema.Type.Int, SampleVariant.Extremes) => seed % 2 == 0 ? int.MinValue : int.MaxValue,
            (Schema.Type.Int, _) => 1_000 + seed,
            (Schema.Type.Double, SampleVariant.Extremes) => seed % 2 == 0 ? double.Epsilon : double.MaxValue,
            (Schema.Type.Double, _) => seed / 1_000.0,
            (Schema.Type.Boolean, _) => seed % 2 == 0,
            _ => throw new NotSupportedException($"no sample for {schema}"),
        };
    }

    private static DateTime Instant(string logicalType, SampleVariant variant, int seed)
    {
        if (variant == SampleVariant.Extremes)
        {
            // Before 1970 the encoded count is negative.
            return new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc);
        }

        return logicalType switch
        {
            "timestamp-micros" => MicrosInstant.AddTicks(seed * 10L),
            "timestamp-millis" => MillisInstant.AddMilliseconds(seed),
            _ => throw new NotSupportedException($"no sample for logical type {logicalType}"),
        };
    }

    /// <summary>A 1 MiB string of multi-byte characters (about 2.5 MB of UTF-8), marked at both ends.</summary>
    public static string LongString(string path)
    {
        var builder = new StringBuilder(LongStringLength);
        builder.Append('<').Append(path).Append('>');
        const string Filler = "ab€日🚀\n";
        while (builder.Length < LongStringLength - 1 - Filler.Length)
        {
            builder.Append(Filler);
        }

        return builder.Append('x', LongStringLength - 1 - builder.Length).Append('$').ToString();
    }

    private static int StableSeed(string path)
    {
        var hash = 17;
        foreach (var c in path)
        {
            hash = unchecked((hash * 31) + c);
        }

        return (hash & 0x7FFF_FFFF) % 100_000;
    }
}
