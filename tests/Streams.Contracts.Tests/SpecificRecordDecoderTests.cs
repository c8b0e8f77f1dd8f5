using System.Buffers.Binary;
using System.Collections;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Contracts.Tests.Decoding;
using Streams.Contracts.Tests.Documents;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Contracts.Tests;

/// <summary>
/// The engine's planned decoder against Apache.Avro's SpecificDatumReader: the same records (same types, same values,
/// field by field) for every input the Avro reader reads, an exception for malformed input, in bounded time and memory.
/// </summary>
[TestFixture]
public sealed class SpecificRecordDecoderTests
{
    private static readonly string[] Strings =
    [
        "", "a", "é", "日本語", "emoji 🚀🔑 and 👩‍👩‍👧", "Grüße, ключ", "nul\0 tab\t newline\n", "\uFFFD\u00A0\u200B\uFEFF",
        new string('x', 63), new string('x', 64), new string('é', 4096), string.Concat(Enumerable.Repeat("ab€日🚀\n", 20_000)),
    ];

    private static IEnumerable<TestCaseData> CatalogTypes() =>
        SchemaCatalog.Sources.SelectMany(source => new[]
        {
            new TestCaseData(source.CuratedType).SetArgDisplayNames(source.CuratedType.Name),
            new TestCaseData(source.RawType).SetArgDisplayNames(source.RawType.Name),
        });

    private static IEnumerable<TestCaseData> GeneratedTypes() =>
        CatalogTypes().Append(new TestCaseData(typeof(DecoderKinds)).SetArgDisplayNames(nameof(DecoderKinds)));

    private static IEnumerable<TestCaseData> RawTypes() =>
        SchemaCatalog.Sources.Select(source => new TestCaseData(source.RawType).SetArgDisplayNames(source.RawType.Name));

    [TestCaseSource(nameof(GeneratedTypes))]
    public void Every_schema_of_the_catalog_is_planned(Type type)
    {
        Assert.That(SpecificRecordDecoder.TryCreate(SchemaOf(type)), Is.Not.Null);
    }

    [TestCaseSource(nameof(CatalogTypes))]
    public void Sample_records_of_every_variant_decode_as_the_Avro_reader_does(Type type)
    {
        var schema = (RecordSchema)SchemaOf(type);
        var decoder = SpecificRecordDecoder.TryCreate(schema)!;
        foreach (var variant in Enum.GetValues<SampleVariant>())
        {
            AssertSameRecord(decoder, Encode(SampleRecords.Create(schema, variant, "")), variant.ToString());
        }
    }

    [Test]
    public void Golden_records_decode_as_the_Avro_reader_does()
    {
        ISpecificRecord[] records = [GoldenRecords.Mysql(), GoldenRecords.Mongodb(), GoldenRecords.Laravel(), GoldenRecords.Elb()];
        foreach (var record in records)
        {
            var bytes = Encode(record);
            var decoded = AssertSameRecord(SpecificRecordDecoder.TryCreate(record.Schema)!, bytes, record.GetType().Name);
            Assert.That(Encode(decoded), Is.EqualTo(bytes), record.GetType().Name + " written again");
        }
    }

    [TestCase(SchemaCatalog.Mysql)]
    [TestCase(SchemaCatalog.Mongodb)]
    [TestCase(SchemaCatalog.Laravel)]
    [TestCase(SchemaCatalog.Elb)]
    public void Two_thousand_random_curated_records_decode_as_the_Avro_reader_does(string source)
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema(source);
        var decoder = SpecificRecordDecoder.TryCreate(schema)!;
        var random = new RandomCuratedRecords(seed: source.Length * 7919);
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = Encode(random.Create(schema));
            var decoded = AssertSameRecord(decoder, bytes, $"record {i}");
            Assert.That(Encode(decoded), Is.EqualTo(bytes), $"record {i} written again");
        }
    }

    /// <summary>Random bytes straight from the schema: blocks of every shape, every union branch, every enum symbol.</summary>
    [TestCaseSource(nameof(GeneratedTypes))]
    public void Two_thousand_random_encodings_decode_as_the_Avro_reader_does(Type type)
    {
        var schema = SchemaOf(type);
        var decoder = SpecificRecordDecoder.TryCreate(schema)!;
        var random = new RandomAvroBytes(seed: type.Name.Length * 104_729);
        for (var i = 0; i < 2_000; i++)
        {
            AssertSameRecord(decoder, random.Create(schema), $"encoding {i}");
        }
    }

    [TestCaseSource(nameof(RawTypes))]
    public void Raw_records_with_edge_values_decode_as_the_Avro_reader_does(Type type)
    {
        var schema = (RecordSchema)SchemaOf(type);
        var decoder = SpecificRecordDecoder.TryCreate(schema)!;
        foreach (var text in Strings)
        {
            var record = SampleRecords.Create(schema, SampleVariant.Full, "");
            foreach (var field in schema.Fields.Where(f => f.Schema.Tag == Schema.Type.String))
            {
                record.Put(field.Pos, text);
            }

            AssertSameRecord(decoder, Encode(record), $"strings of {text.Length} chars");
        }

        foreach (var number in new[] { 0L, -1L, 64L, -65L, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue })
        {
            var record = SampleRecords.Create(schema, SampleVariant.Full, "");
            foreach (var field in schema.Fields.Where(f => f.Schema.Tag == Schema.Type.Long))
            {
                record.Put(field.Pos, number);
            }

            AssertSameRecord(decoder, Encode(record), $"longs {number}");
        }
    }

    [Test]
    public void Edge_values_of_a_curated_record_decode_as_the_Avro_reader_does()
    {
        var decoder = SpecificRecordDecoder.TryCreate(ElbCurated._SCHEMA)!;
        foreach (var text in Strings)
        {
            var record = GoldenRecords.Elb();
            record.message = text;
            record.@event.original = text;
            record.@event.category = [text, "", text];
            record.labels = new Dictionary<string, string> { [text] = text, ["k"] = "" };
            AssertSameRecord(decoder, Encode(record), $"a string of {text.Length} chars");
        }

        foreach (var number in new[] { 0L, 1L, -1L, 63L, 64L, -64L, -65L, 8191L, 8192L, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue })
        {
            var record = GoldenRecords.Elb();
            record.@event.duration = number;
            record.aws.elb.received_bytes = number;
            record.source.port = (int)Math.Clamp(number, int.MinValue, int.MaxValue);
            AssertSameRecord(decoder, Encode(record), $"number {number}");
        }

        foreach (var real in new[] { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue })
        {
            var record = GoldenRecords.Elb();
            record.aws.elb.request_processing_time_sec = real;
            AssertSameRecord(decoder, Encode(record), $"double {real}");
        }

        var empty = GoldenRecords.Elb();
        empty.@event.category = [];
        empty.@event.type = [];
        empty.labels = new Dictionary<string, string>();
        AssertSameRecord(decoder, Encode(empty), "empty array and map");

        var large = GoldenRecords.Elb();
        large.@event.category = Enumerable.Range(0, 20_000).Select(i => $"category {i} é").ToList();
        large.labels = Enumerable.Range(0, 20_000).ToDictionary(i => $"key {i} 🔑", i => i % 3 == 0 ? "" : new string('v', i % 100));
        AssertSameRecord(decoder, Encode(large), "20,000 items and entries");

        var instants = GoldenRecords.Elb();
        instants.timestamp = new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9_990);
        instants.@event.ingested = DateTime.UnixEpoch;
        AssertSameRecord(decoder, Encode(instants), "instants around the epoch");

        AssertSameRecord(decoder, Encode(new ElbCurated { @event = new Event() }), "every union null");
    }

    [Test]
    public void A_recursive_schema_is_planned_and_decodes_as_the_Avro_reader_does()
    {
        var decoder = SpecificRecordDecoder.TryCreate(DecoderKinds._SCHEMA)!;
        var random = new RandomAvroBytes(seed: 3);
        var record = (DecoderKinds)new SpecificDatumReader<DecoderKinds>(DecoderKinds._SCHEMA, DecoderKinds._SCHEMA)
            .Read(null!, new BinaryDecoder(new MemoryStream(random.Create(DecoderKinds._SCHEMA))));
        record.tree = Tree(5, 3);
        var decoded = (DecoderKinds)AssertSameRecord(decoder, Encode(record), "a tree five deep");
        Assert.That(decoded.tree.children[2].children[1].children[0].children[2].label, Is.EqualTo("4.2"));
    }

    [Test]
    public void Every_strict_prefix_of_a_record_throws()
    {
        var random = new RandomAvroBytes(seed: 17);
        var lengthRandom = new Random(19);
        foreach (var type in GeneratedTypes().Select(c => (Type)c.Arguments[0]!))
        {
            var schema = SchemaOf(type);
            var decoder = SpecificRecordDecoder.TryCreate(schema)!;
            for (var n = 0; n < 20; n++)
            {
                var bytes = random.Create(schema);

                // Every length of a short encoding; of a long one, the first 256 and 256 more at random.
                var lengths = bytes.Length <= 512 ? Enumerable.Range(0, bytes.Length) : Enumerable.Range(0, 256).Concat(Enumerable.Range(0, 256).Select(_ => lengthRandom.Next(256, bytes.Length)));
                foreach (var length in lengths)
                {
                    var prefix = bytes.AsSpan(0, length).ToArray();
                    Assert.That(() => Bounded(decoder, prefix), Throws.InstanceOf<AvroException>(), $"{type.Name} {n}: {length} of {bytes.Length} bytes");
                }
            }
        }
    }

    [Test]
    public void Corrupted_bytes_throw_or_decode_in_bounded_time_and_memory()
    {
        var random = new Random(23);
        var generator = new RandomAvroBytes(seed: 29);
        var outcomes = new Dictionary<string, int>();
        foreach (var type in GeneratedTypes().Select(c => (Type)c.Arguments[0]!))
        {
            var schema = SchemaOf(type);
            var decoder = SpecificRecordDecoder.TryCreate(schema)!;
            for (var n = 0; n < 500; n++)
            {
                var bytes = generator.Create(schema);
                if (bytes.Length == 0)
                {
                    continue;
                }

                // A few bytes overwritten, often with varint continuation bytes and extreme values.
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] = random.Next(3) switch { 0 => 0xFF, 1 => 0x7F, _ => (byte)random.Next(256) };
                }

                string outcome;
                try
                {
                    Bounded(decoder, bytes);
                    outcome = "decoded";
                }
                catch (Exception ex) when (ex is AvroException or ArgumentOutOfRangeException or InvalidCastException)
                {
                    // ArgumentOutOfRange: a timestamp out of DateTime's range, from the logical type's own conversion, as in the Avro reader.
                    // InvalidCast: an enum ordinal that is not one of the generated enum's, refused by the generated Put.
                    outcome = ex.GetType().Name;
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }

        Assert.That(outcomes.Keys, Does.Contain(nameof(AvroException)), string.Join(", ", outcomes));
        TestContext.Out.WriteLine(string.Join(", ", outcomes));
    }

    [Test]
    public void Malformed_lengths_counts_indexes_and_values_throw()
    {
        var inner = SpecificRecordDecoder.TryCreate(DecoderKinds._SCHEMA)!;
        var raw = SpecificRecordDecoder.TryCreate(ElbRaw._SCHEMA)!;
        byte[] Long(long value)
        {
            using var stream = new MemoryStream();
            new BinaryEncoder(stream).WriteLong(value);
            return stream.ToArray();
        }

        var cases = new (string What, SpecificRecordDecoder Decoder, byte[] Bytes, string Message)[]
        {
            ("a string longer than the bytes", raw, [.. Long(int.MaxValue), 1, 2, 3], "bytes remaining"),
            ("a string of a huge length", raw, Long(long.MaxValue), "bytes remaining"),
            ("a negative string length", raw, Long(-5), "negative length"),
            ("a varint of eleven bytes", raw, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "Invalid Avro long"),
            ("a varint beyond 64 bits", raw, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "Invalid Avro long"),
            ("a boolean of 2", inner, [2], "Not a boolean"),
            ("an int out of range", inner, [1, .. Long(int.MaxValue + 1L)], "out of range"),
        };
        foreach (var (what, decoder, bytes, message) in cases)
        {
            Assert.That(() => Bounded(decoder, bytes), Throws.InstanceOf<AvroException>().With.Message.Contains(message), what);
        }

        // DecoderKinds up to its first array (strings, field 18), then a count: each item takes at least one byte.
        var head = Encode(Valid()).AsSpan(0, PrefixBefore("strings")).ToArray();
        Assert.That(() => Bounded(inner, [.. head, .. Long(1L << 40), 0]), Throws.InstanceOf<AvroException>().With.Message.Contains("block count"), "a huge array count");
        Assert.That(() => Bounded(inner, [.. head, .. Long(long.MinValue)]), Throws.InstanceOf<AvroException>().With.Message.Contains("block count"), "the most negative count");
        Assert.That(() => Bounded(inner, [.. head, .. Long(-3), .. Long(-1)]), Throws.InstanceOf<AvroException>().With.Message.Contains("block size"), "a negative block size");
        Assert.That(() => Bounded(inner, [.. head, .. Long(1), .. Long(2)]), Throws.InstanceOf<AvroException>().With.Message.Contains("union branch index 2"), "a union branch out of range");

        // Up to the enum (field 8): an ordinal out of the symbols' range.
        var toEnum = Encode(Valid()).AsSpan(0, PrefixBefore("e")).ToArray();
        Assert.That(() => Bounded(inner, [.. toEnum, .. Long(3)]), Throws.InstanceOf<AvroException>().With.Message.Contains("enum index 3"), "an enum ordinal out of range");
        Assert.That(() => Bounded(inner, [.. toEnum, .. Long(-1)]), Throws.InstanceOf<AvroException>().With.Message.Contains("enum index -1"), "a negative enum ordinal");
    }

    [Test]
    public void A_schema_the_decoder_cannot_plan_gets_no_decoder()
    {
        // A record with no generated type: the Avro reader fails on it too, so nothing is guessed.
        Assert.That(SpecificRecordDecoder.TryCreate(Schema.Parse("""{"type":"record","name":"R","namespace":"Nowhere","fields":[{"name":"s","type":"string"}]}""")), Is.Null);

        // Items that take no bytes: a count could claim any number of them.
        Assert.That(SpecificRecordDecoder.TryCreate(Schema.Parse("""{"type":"record","name":"DecoderInner","namespace":"Streams.Contracts.Tests.Decoding","fields":[{"name":"x","type":{"type":"array","items":"null"}}]}""")), Is.Null);

        // A logical type over bytes (decimal) is left to the Avro reader.
        Assert.That(SpecificRecordDecoder.TryCreate(Schema.Parse("""{"type":"record","name":"DecoderInner","namespace":"Streams.Contracts.Tests.Decoding","fields":[{"name":"x","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}}]}""")), Is.Null);

        Assert.That(SpecificRecordDecoder.TryCreate(Schema.Parse("\"string\"")), Is.Null);
    }

    [Test]
    public void The_engine_deserializer_decodes_its_own_schema_and_resolves_another_writer_schema()
    {
        var scope = "decoder-" + Guid.NewGuid().ToString("N");
        try
        {
            var settings = new SchemaRegistrySettings("mock://" + scope);
            var registry = AvroSerdes.CreateRegistry(settings);
            var serde = AvroSerdes.Specific<ElbRaw>(registry, settings);
            var topic = SchemaCatalog.For(SchemaCatalog.Elb).RawTopic;
            var random = new RandomAvroBytes(seed: 31);

            // The reader's own schema, registered by the serializer: records read as the Avro reader reads them.
            var first = serde.Serialize(SampleRecords.Create<ElbRaw>(SampleVariant.Full), topic)!;
            var ownId = BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(1, 4));
            for (var i = 0; i < 200; i++)
            {
                var avro = random.Create(ElbRaw._SCHEMA);
                var actual = serde.Deserialize(Frame(ownId, avro), topic)!;
                AssertDeepEqual(Reference(ElbRaw._SCHEMA, ElbRaw._SCHEMA, avro), actual, $"record {i}");
            }

            // A varint of eleven bytes, which only the planned decoder refuses (the Avro reader reads on): it reads the reader's schema.
            byte[] overlong = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0];
            Assert.That(() => serde.Deserialize(Frame(ownId, overlong), topic), Throws.InstanceOf<AvroException>().With.Message.Contains("Invalid Avro long"));

            // An evolved writer schema: a field added before the others and one renamed away. The planned decoder would
            // misread every field; the Avro reader resolves it (skips the new ones, defaults nothing here as all are present).
            var evolvedJson = ElbRaw._SCHEMA.ToString().Replace("\"fields\":[", "\"fields\":[{\"name\":\"added\",\"type\":\"long\",\"default\":0},", StringComparison.Ordinal);
            var evolved = (RecordSchema)Schema.Parse(evolvedJson);
            Assert.That(evolved.Fields[0].Name, Is.EqualTo("added"));
            var evolvedId = registry.RegisterSchemaAsync(topic + "-value", new Confluent.SchemaRegistry.Schema(evolvedJson, Confluent.SchemaRegistry.SchemaType.Avro)).GetAwaiter().GetResult();
            Assert.That(evolvedId, Is.Not.EqualTo(ownId));
            for (var i = 0; i < 200; i++)
            {
                var avro = random.Create(evolved);
                var actual = serde.Deserialize(Frame(evolvedId, avro), topic)!;
                AssertDeepEqual(Reference(evolved, ElbRaw._SCHEMA, avro), actual, $"evolved record {i}");
            }

            // The same bytes under the evolved schema reach the Avro reader, whose exception is its own.
            Assert.That(() => serde.Deserialize(Frame(evolvedId, overlong), topic), Throws.Exception.With.Message.Not.Contains("Invalid Avro long"));
        }
        finally
        {
            MockSchemaRegistry.DropScope(scope);
        }
    }

    [Test]
    public void Threads_sharing_one_decoder_each_get_their_own_records()
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema(SchemaCatalog.Elb);
        var random = new RandomCuratedRecords(seed: 5);
        var encoded = Enumerable.Range(0, 400).Select(_ => Encode(random.Create(schema))).ToArray();
        var decoder = SpecificRecordDecoder.TryCreate(schema)!;
        var mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (var round = 0; round < 5; round++)
            {
                for (var i = worker; i < encoded.Length; i += 3)
                {
                    if (!Encode(decoder.Decode(encoded[i])).AsSpan().SequenceEqual(encoded[i]))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });
        Assert.That(mismatches, Is.Zero);
    }

    private static Schema SchemaOf(Type type) => ((ISpecificRecord)Activator.CreateInstance(type)!).Schema;

    private static DecoderTree Tree(int depth, int width) => Tree(depth, width, "0");

    private static DecoderTree Tree(int depth, int width, string label) => new()
    {
        label = label,
        children = depth == 0 ? [] : Enumerable.Range(0, width).Select(i => Tree(depth - 1, width, $"{6 - depth}.{i}")).ToList(),
    };

    private static DecoderKinds Valid() =>
        (DecoderKinds)new SpecificDatumReader<DecoderKinds>(DecoderKinds._SCHEMA, DecoderKinds._SCHEMA)
            .Read(null!, new BinaryDecoder(new MemoryStream(new RandomAvroBytes(seed: 1).Create(DecoderKinds._SCHEMA))));

    /// <summary>The byte count of <see cref="Valid"/>'s fields before <paramref name="field"/>.</summary>
    private static int PrefixBefore(string field)
    {
        var json = JsonNode.Parse(DecoderKinds._SCHEMA.ToString())!;
        var fields = json["fields"]!.AsArray();
        var keep = fields.TakeWhile(f => (string)f!["name"]! != field).Count();
        while (fields.Count > keep)
        {
            fields.RemoveAt(keep);
        }

        // The named types are defined by the first fields that use them, all before the fields cut here.
        var partial = Schema.Parse(json.ToJsonString());
        using var stream = new MemoryStream();
        new SpecificDatumWriter<ISpecificRecord>(partial).Write(Valid(), new BinaryEncoder(stream));
        return (int)stream.Length;
    }

    private static byte[] Frame(int id, byte[] avro)
    {
        var framed = new byte[5 + avro.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), id);
        avro.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>Decodes, then checks the decode ended within a second and allocated at most 64 KB plus 16 times the input.</summary>
    private static ISpecificRecord Bounded(SpecificRecordDecoder decoder, byte[] bytes)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        try
        {
            return decoder.Decode(bytes);
        }
        finally
        {
            var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), $"{bytes.Length} bytes");
            Assert.That(used, Is.LessThan((64 * 1024) + (16L * bytes.Length)), $"{bytes.Length} bytes");
        }
    }

    private static ISpecificRecord AssertSameRecord(SpecificRecordDecoder decoder, byte[] bytes, string what)
    {
        var expected = Reference(decoder.Schema, decoder.Schema, bytes);
        var actual = decoder.Decode(bytes);
        AssertDeepEqual(expected, actual, what);
        return actual;
    }

    private static ISpecificRecord Reference(Schema writer, Schema reader, byte[] bytes) =>
        new SpecificDatumReader<ISpecificRecord>(writer, reader).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

    private static byte[] Encode(ISpecificRecord record)
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<ISpecificRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>Same runtime types and same values all the way down (records field by field, lists item by item, maps in order).</summary>
    private static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.That(actual, Is.EqualTo(expected), path);
            return;
        }

        Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()), path);
        switch (expected)
        {
            case ISpecificRecord record:
                var fields = ((RecordSchema)record.Schema).Fields;
                foreach (var field in fields)
                {
                    AssertDeepEqual(record.Get(field.Pos), ((ISpecificRecord)actual).Get(field.Pos), path + "." + field.Name);
                }

                break;
            case SpecificFixed fixedValue:
                Assert.That(((SpecificFixed)actual).Value, Is.EqualTo(fixedValue.Value), path);
                break;
            case byte[] bytes:
                Assert.That(actual, Is.EqualTo(bytes), path);
                break;
            case IDictionary map:
                var actualMap = (IDictionary)actual;
                Assert.That(actualMap.Keys.Cast<string>().ToList(), Is.EqualTo(map.Keys.Cast<string>().ToList()), path + " keys");
                foreach (DictionaryEntry entry in map)
                {
                    AssertDeepEqual(entry.Value, actualMap[entry.Key], $"{path}[{entry.Key}]");
                }

                break;
            case IList list:
                var actualList = (IList)actual;
                Assert.That(actualList, Has.Count.EqualTo(list.Count), path + " count");
                for (var i = 0; i < list.Count; i++)
                {
                    AssertDeepEqual(list[i], actualList[i], $"{path}[{i}]");
                }

                break;
            case DateTime instant:
                Assert.That(((DateTime)actual).Kind, Is.EqualTo(instant.Kind), path + " kind");
                Assert.That(actual, Is.EqualTo(expected), path);
                break;
            default:
                // float and double by Equals: NaN equals NaN, -0.0 is told from 0.0 by its bits below.
                Assert.That(actual.Equals(expected), Is.True, $"{path}: {actual} for {expected}");
                if (expected is double d)
                {
                    Assert.That(BitConverter.DoubleToInt64Bits((double)actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(d)), path);
                }

                break;
        }
    }
}
