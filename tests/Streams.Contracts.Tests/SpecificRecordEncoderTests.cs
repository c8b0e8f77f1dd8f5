using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Avro;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Streams.Contracts.Curated;
using Streams.Contracts.Tests.Documents;
using Streams.Runtime.Serdes;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Contracts.Tests;

/// <summary>
/// The engine's planned encoder against Apache.Avro's SpecificDatumWriter: the same bytes for every record, the same
/// exception for every value the Avro writer refuses.
/// </summary>
[TestFixture]
public sealed class SpecificRecordEncoderTests
{
    private static readonly string[] Strings =
    [
        "", "a", "é", "日本語", "emoji 🚀🔑 and 👩‍👩‍👧", "Grüße, ключ", "nul\0 tab\t newline\n", "\uD800 lone high", "lone low \uDC00", "\uFFFD\u00A0\u200B\uFEFF",
        new string('x', 63), new string('x', 64), new string('é', 31), new string('é', 32), new string('日', 21), new string('日', 22),
        string.Concat(Enumerable.Repeat("🚀", 16)), new string('x', 2730), new string('日', 2730), new string('x', 2731), new string('é', 4096),
        string.Concat(Enumerable.Repeat("ab€日🚀\n", 20_000)),
    ];

    private static IEnumerable<TestCaseData> GeneratedTypes() =>
        SchemaCatalog.Sources.SelectMany(source => new[]
        {
            new TestCaseData(source.CuratedType).SetArgDisplayNames(source.CuratedType.Name),
            new TestCaseData(source.RawType).SetArgDisplayNames(source.RawType.Name),
        });

    [TestCaseSource(nameof(GeneratedTypes))]
    public void Every_schema_of_the_catalog_is_planned(Type type)
    {
        var schema = ((ISpecificRecord)Activator.CreateInstance(type)!).Schema;
        Assert.That(SpecificRecordEncoder.TryCreate(schema), Is.Not.Null);
    }

    [TestCaseSource(nameof(GeneratedTypes))]
    public void Sample_records_of_every_variant_encode_as_the_Avro_writer_does(Type type)
    {
        var schema = (RecordSchema)((ISpecificRecord)Activator.CreateInstance(type)!).Schema;
        var encoder = SpecificRecordEncoder.TryCreate(schema)!;
        foreach (var variant in Enum.GetValues<SampleVariant>())
        {
            var record = SampleRecords.Create(schema, variant, "");
            AssertSameBytes(encoder, record, variant.ToString());
        }
    }

    [Test]
    public void Golden_records_encode_as_the_Avro_writer_does()
    {
        ISpecificRecord[] records = [GoldenRecords.Mysql(), GoldenRecords.Mongodb(), GoldenRecords.Laravel(), GoldenRecords.Elb()];
        foreach (var record in records)
        {
            AssertSameBytes(SpecificRecordEncoder.TryCreate(record.Schema)!, record, record.GetType().Name);
        }
    }

    [TestCase(SchemaCatalog.Mysql)]
    [TestCase(SchemaCatalog.Mongodb)]
    [TestCase(SchemaCatalog.Laravel)]
    [TestCase(SchemaCatalog.Elb)]
    public void Two_thousand_random_curated_records_encode_as_the_Avro_writer_does(string source)
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema(source);
        var encoder = SpecificRecordEncoder.TryCreate(schema)!;
        var random = new RandomCuratedRecords(seed: source.Length * 7919);
        for (var i = 0; i < 2_000; i++)
        {
            AssertSameBytes(encoder, random.Create(schema), $"record {i}");
        }
    }

    [TestCase(SchemaCatalog.Mysql)]
    [TestCase(SchemaCatalog.Mongodb)]
    [TestCase(SchemaCatalog.Laravel)]
    [TestCase(SchemaCatalog.Elb)]
    public void Generated_record_types_are_written_through_compiled_property_readers(string source)
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema(source);
        var encoder = SpecificRecordEncoder.TryCreate(schema)!;
        var record = new RandomCuratedRecords(seed: 17).Create(schema);
        AssertSameBytes(encoder, record, source);
        Assert.That(encoder.CompiledRecordTypes, Does.Contain(record.GetType()).And.Contain(typeof(Streams.Contracts.Curated.Event)));
    }

    [Test]
    public void A_typed_record_encodes_as_the_Avro_writer_does_with_every_nullable_set_and_unset()
    {
        var encoder = SpecificRecordEncoder.TryCreate(TypedRecord._SCHEMA)!;
        var random = new Random(20261127);
        for (var n = 0; n < 500; n++)
        {
            var set = n % 2 == 0;
            var record = new TypedRecord
            {
                s = Strings[n % Strings.Length],
                ns = set ? Strings[(n + 1) % Strings.Length] : null,
                sn = set ? null : "x" + n,
                l = n % 7 == 0 ? long.MinValue : random.NextInt64(long.MinValue, long.MaxValue),
                i = n % 5 == 0 ? int.MaxValue : random.Next(int.MinValue, int.MaxValue),
                d = n % 11 == 0 ? double.NaN : random.NextDouble() * 1e6 - 5e5,
                f = n % 13 == 0 ? float.NegativeInfinity : (float)random.NextDouble(),
                b = n % 3 == 0,
                nl = set ? -n : null,
                ni = n % 3 == 0 ? null : n,
                nd = n % 4 == 0 ? null : n / 3.0,
                nf = n % 5 == 0 ? null : n / 7f,
                nb = n % 6 == 0 ? null : n % 4 == 1,
                OddValue = "odd " + n,
                list = n % 2 == 0 ? [] : ["a", Strings[n % Strings.Length]],
            };
            AssertSameBytes(encoder, record, $"record {n}");
        }

        Assert.That(encoder.CompiledRecordTypes, Is.EqualTo(new[] { typeof(TypedRecord) }));
    }

    [Test]
    public void A_null_string_in_a_typed_record_throws_as_the_Avro_writer_does()
    {
        var encoder = SpecificRecordEncoder.TryCreate(TypedRecord._SCHEMA)!;
        AssertSameBytes(encoder, new TypedRecord(), "a first record compiles the writer");
        var record = new TypedRecord { s = null! };
        var expected = Caught(() => Reference(record), "Avro writer");
        var actual = Caught(() => encoder.Encode(record), "encoder");
        Assert.Multiple(() =>
        {
            Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()));
            Assert.That(actual.Message, Is.EqualTo(expected.Message));
        });
    }

    [Test]
    public void Edge_values_of_a_curated_record_encode_as_the_Avro_writer_does()
    {
        var encoder = SpecificRecordEncoder.TryCreate(ElbCurated._SCHEMA)!;
        foreach (var text in Strings)
        {
            var record = GoldenRecords.Elb();
            record.message = text;
            record.@event.original = text;
            record.@event.category = [text, "", text];
            record.labels = new Dictionary<string, string> { [text] = text, ["k"] = "" };
            AssertSameBytes(encoder, record, $"a string of {text.Length} chars");
        }

        foreach (var number in new[] { 0L, 1L, -1L, 63L, 64L, -64L, -65L, 8191L, 8192L, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue })
        {
            var record = GoldenRecords.Elb();
            record.@event.duration = number;
            record.aws.elb.received_bytes = number;
            record.source.port = (int)Math.Clamp(number, int.MinValue, int.MaxValue);
            record.aws.elb.backend_status_code = -(int)Math.Clamp(number, 0, int.MaxValue);
            AssertSameBytes(encoder, record, $"number {number}");
        }

        foreach (var real in new[] { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, -1.5 })
        {
            var record = GoldenRecords.Elb();
            record.aws.elb.request_processing_time_sec = real;
            AssertSameBytes(encoder, record, $"double {real}");
        }

        var empty = GoldenRecords.Elb();
        empty.@event.category = [];
        empty.@event.type = [];
        empty.labels = new Dictionary<string, string>();
        AssertSameBytes(encoder, empty, "empty array and map");

        var large = GoldenRecords.Elb();
        large.@event.category = Enumerable.Range(0, 20_000).Select(i => $"category {i} é").ToList();
        large.labels = Enumerable.Range(0, 20_000).ToDictionary(i => $"key {i} 🔑", i => i % 3 == 0 ? "" : new string('v', i % 100));
        AssertSameBytes(encoder, large, "20,000 items and entries");

        var instants = GoldenRecords.Elb();
        instants.timestamp = new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9_990);
        instants.@event.ingested = DateTime.UnixEpoch;
        AssertSameBytes(encoder, instants, "instants around the epoch");

        var nulls = new ElbCurated { @event = new Event() };
        AssertSameBytes(encoder, nulls, "every union null");
    }

    [Test]
    public void Every_Avro_kind_and_union_encodes_as_the_Avro_writer_does()
    {
        var encoder = SpecificRecordEncoder.TryCreate(LooseRecord._SCHEMA)!;
        Assert.That(encoder, Is.Not.Null);
        object?[] many =
        [
            null, 5L, long.MinValue, "text", "", LooseRecord.Inner(null, -3), LooseRecord.Inner("é", 0), new List<string> { "a", "" }, new string[] { "x" },
            new Dictionary<string, long> { ["a"] = 1, ["🔑"] = long.MaxValue }, new SortedList<string, long> { ["z"] = -1 }, 2.5, true, false, -7, 1.25f,
            new LooseHash(9, 8, 7, 6), LooseColor.RED, LooseColor.BLUE, LooseColor.GREEN,
        ];
        for (var i = 0; i < many.Length * 4; i++)
        {
            var record = FullLoose(i);
            record["many"] = many[i % many.Length];
            AssertSameBytes(encoder, record, $"many = {many[i % many.Length]} ({i})");
        }
    }

    [Test]
    public void A_union_value_matching_no_branch_throws_as_the_Avro_writer_does()
    {
        var encoder = SpecificRecordEncoder.TryCreate(LooseRecord._SCHEMA)!;
        (string Field, object? Value)[] wrong =
        [
            ("optional_inner", "not a record"),
            ("optional_inner", new LooseRecord()),
            ("many", new object()),
            ("many", 1m),
            ("many", LooseColor.PURPLE),
            ("many", new LooseRecord()),
            ("millis", 1234L),
            ("null_last", 12),
            ("optional_hash", new byte[4]),
            ("no_null", 1),
            ("optional_long", 1),
            ("optional_long", "1"),
            ("optional_int", 1L),
            ("optional_double", 1f),
            ("inner", LooseRecord.Inner(null, 1).With("x", 5)),
        ];
        foreach (var (field, value) in wrong)
        {
            var record = FullLoose(0);
            record[field] = value;
            var expected = Caught(() => Reference(record), $"{field} = {value}");
            var actual = Caught(() => encoder.Encode(record), $"{field} = {value}");
            Assert.That(expected, Is.InstanceOf<AvroException>());
            Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()), $"{field} = {value}");
            Assert.That(actual.Message, Is.EqualTo(expected.Message), $"{field} = {value}");
        }
    }

    [Test]
    public void Values_of_the_wrong_type_throw_as_the_Avro_writer_does()
    {
        var encoder = SpecificRecordEncoder.TryCreate(LooseRecord._SCHEMA)!;
        (string Field, object? Value)[] wrong =
        [
            ("b", 1), ("i", 1L), ("l", 1), ("f", 1.0), ("d", 1f), ("s", null), ("s", 'c'), ("by", "bytes"), ("fx", new byte[4]),
            ("e", null), ("e", LooseColor.PURPLE), ("e", "YELLOW"), ("strings", "not a list"), ("string_map", new List<string>()),
            ("records", new List<object> { 1 }), ("micros", null), ("micros", 1L), ("no_null", null),

            // A byte[] is an IList, so in a union the array branch before "bytes" takes it, and fails on its items.
            ("many", new byte[] { 1, 2, 3 }),
        ];
        foreach (var (field, value) in wrong)
        {
            var record = FullLoose(0);
            record[field] = value;
            var expected = Caught(() => Reference(record), $"{field} = {value}");
            var actual = Caught(() => encoder.Encode(record), $"{field} = {value}");
            Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()), $"{field} = {value}: {expected}");
            Assert.That(actual.Message, Is.EqualTo(expected.Message), $"{field} = {value}");
        }
    }

    [Test]
    public void The_engine_serializer_writes_the_Avro_writer_bytes_and_throws_its_exceptions()
    {
        var scope = "encoder-" + Guid.NewGuid().ToString("N");
        try
        {
            var registry = AvroSerdes.CreateRegistry(new SchemaRegistrySettings("mock://" + scope));
            var serde = AvroSerdes.Specific<LooseRecord>(registry, new SchemaRegistrySettings("mock://" + scope));
            const string Topic = "loose";

            // The first record goes through Confluent's serializer, which registers the schema; the rest through the encoder.
            var first = serde.Serialize(FullLoose(1), Topic)!;
            var id = BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(1, 4));
            Assert.That(first[0], Is.Zero);
            Assert.That(first[5..], Is.EqualTo(Reference(FullLoose(1))));
            for (var i = 0; i < 50; i++)
            {
                var bytes = serde.Serialize(FullLoose(i), Topic)!;
                Assert.That(bytes[..5], Is.EqualTo(first[..5]), "magic byte and schema id");
                Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)), Is.EqualTo(id));
                Assert.That(bytes[5..], Is.EqualTo(Reference(FullLoose(i))), $"record {i}");
            }

            foreach (var (field, value) in new (string, object?)[] { ("many", new object()), ("optional_inner", "x"), ("inner", null), ("inner", 5), ("s", null) })
            {
                var record = FullLoose(0);
                record[field] = value;
                var expected = Caught(() => Reference(record), $"{field} = {value}");
                var actual = Caught(() => serde.Serialize(record, Topic), $"{field} = {value}");
                Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()), $"{field} = {value}");
                Assert.That(actual.Message, Is.EqualTo(expected.Message), $"{field} = {value}");
            }

            Assert.That(serde.Serialize(FullLoose(3), Topic)![5..], Is.EqualTo(Reference(FullLoose(3))), "a good record after bad ones");
        }
        finally
        {
            MockSchemaRegistry.DropScope(scope);
        }
    }

    [Test]
    public void The_engine_serializer_lends_the_bytes_it_would_return_once_the_schema_id_is_known()
    {
        var scope = "encoder-" + Guid.NewGuid().ToString("N");
        try
        {
            var settings = new SchemaRegistrySettings("mock://" + scope);
            var serde = AvroSerdes.Specific<LooseRecord>(AvroSerdes.CreateRegistry(settings), settings);
            var lending = (ISpanSerializer<LooseRecord>)serde.Serializer;
            var context = new SerializationContext(MessageComponentType.Value, "loose");

            // Nothing is lent before the topic's first record has registered the schema, nor for null or a bad record:
            // those go through Serialize.
            Assert.That(lending.TrySerialize(FullLoose(1), context, out _), Is.False, "first record of the topic");
            var first = serde.Serializer.Serialize(FullLoose(1), context);
            Assert.That(lending.TrySerialize(null!, context, out _), Is.False, "null");
            var bad = FullLoose(2);
            bad["inner"] = null;
            Assert.That(lending.TrySerialize(bad, context, out _), Is.False, "a record the encoder throws on");

            for (var i = 0; i < 20; i++)
            {
                Assert.That(lending.TrySerialize(FullLoose(i), context, out var lent), Is.True, $"record {i}");
                var copy = lent.ToArray();
                Assert.That(copy, Is.EqualTo(serde.Serializer.Serialize(FullLoose(i), context)), $"record {i}");
                Assert.That(copy[..5], Is.EqualTo(first[..5]), "magic byte and schema id");
            }
        }
        finally
        {
            MockSchemaRegistry.DropScope(scope);
        }
    }

    [Test]
    public void The_engine_serializer_writes_curated_records_as_Confluent_does()
    {
        var scope = "encoder-" + Guid.NewGuid().ToString("N");
        try
        {
            var settings = new SchemaRegistrySettings("mock://" + scope);
            var registry = AvroSerdes.CreateRegistry(settings);
            var serde = AvroSerdes.Specific<MysqlCurated>(registry, settings);
            var confluent = new Confluent.SchemaRegistry.Serdes.AvroSerializer<MysqlCurated>(registry);
            var context = new SerializationContext(MessageComponentType.Value, SchemaCatalog.For(SchemaCatalog.Mysql).CuratedTopic);
            var random = new RandomCuratedRecords(seed: 11);
            for (var i = 0; i < 200; i++)
            {
                var record = (MysqlCurated)random.Create((RecordSchema)MysqlCurated._SCHEMA);
                Assert.That(serde.Serialize(record, context.Topic), Is.EqualTo(confluent.SerializeAsync(record, context).GetAwaiter().GetResult()), $"record {i}");
            }
        }
        finally
        {
            MockSchemaRegistry.DropScope(scope);
        }
    }

    [Test]
    public void Threads_sharing_one_encoder_each_get_their_own_records_bytes()
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema(SchemaCatalog.Elb);
        var random = new RandomCuratedRecords(seed: 5);
        var records = Enumerable.Range(0, 400).Select(_ => random.Create(schema)).ToArray();
        var expected = records.Select(Reference).ToArray();
        var encoder = SpecificRecordEncoder.TryCreate(schema)!;
        var mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (var round = 0; round < 5; round++)
            {
                for (var i = worker; i < records.Length; i += 3)
                {
                    if (!encoder.Encode(records[i], i).AsSpan(5).SequenceEqual(expected[i]))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void A_schema_with_a_kind_the_encoder_cannot_plan_gets_no_encoder()
    {
        // An enum with no generated type: the Avro writer's own resolution fails too, so nothing is guessed.
        var schema = Schema.Parse("""{"type":"record","name":"R","namespace":"Nowhere","fields":[{"name":"e","type":{"type":"enum","name":"Missing","symbols":["A"]}}]}""");
        Assert.That(SpecificRecordEncoder.TryCreate(schema), Is.Null);
    }

    private static LooseRecord FullLoose(int seed)
    {
        var text = Strings[seed % Strings.Length];
        return new LooseRecord
        {
            ["b"] = seed % 2 == 0,
            ["i"] = seed % 3 == 0 ? int.MinValue : -seed,
            ["l"] = seed % 4 == 0 ? long.MaxValue : -seed * 1_000_000_007L,
            ["f"] = seed % 5 == 0 ? float.NaN : seed / 3f,
            ["d"] = seed % 5 == 1 ? double.NegativeInfinity : seed / 7.0,
            ["s"] = text,
            ["by"] = Encoding.UTF8.GetBytes(text),
            ["fx"] = new LooseHash((byte)seed, 0, 255, 1),
            ["e"] = new[] { LooseColor.RED, LooseColor.GREEN, LooseColor.BLUE }[seed % 3],
            ["inner"] = LooseRecord.Inner(seed % 2 == 0 ? null : text, seed),
            ["optional_inner"] = seed % 3 == 0 ? null : LooseRecord.Inner(text, -seed),
            ["many"] = seed % 2 == 0 ? null : (object)(long)seed,
            ["null_last"] = seed % 2 == 0 ? null : text,
            ["millis"] = seed % 2 == 0 ? null : DateTime.UnixEpoch.AddMilliseconds(-seed * 1_000_003L),
            ["micros"] = new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc).AddTicks(seed * 12_340L),
            ["strings"] = seed % 4 == 0 ? new List<string?>() : new List<string?> { text, null, "" },
            ["records"] = Enumerable.Range(0, seed % 3).Select(i => LooseRecord.Inner(i.ToString(), i)).ToList(),
            ["record_map"] = seed % 3 == 0 ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["a"] = null, [text] = LooseRecord.Inner(null, 1) },
            ["string_map"] = seed % 3 == 1 ? null : new Dictionary<string, string> { [text] = text, ["b"] = "" },
            ["nested"] = new List<List<int>> { new() { 1, -1, int.MaxValue }, new(), new() { seed } },
            ["optional_hash"] = seed % 2 == 0 ? null : new LooseHash(1, 2, 3, 4),
            ["optional_color"] = seed % 2 == 1 ? null : LooseColor.GREEN,
            ["no_null"] = seed % 2 == 0 ? (long)seed : (object)text,
            ["optional_long"] = seed % 3 == 0 ? null : long.MinValue + seed,
            ["optional_int"] = seed % 3 == 1 ? null : -seed,
            ["optional_double"] = seed % 3 == 2 ? null : -seed / 3.0,
        };
    }

    private static Exception Caught(Func<object?> write, string what)
    {
        try
        {
            write();
        }
        catch (Exception ex)
        {
            return ex;
        }

        Assert.Fail($"{what}: nothing was thrown");
        throw new UnreachableException();
    }

    private static void AssertSameBytes(SpecificRecordEncoder encoder, ISpecificRecord record, string what)
    {
        var expected = Reference(record);
        Assert.That(encoder.Encode(record), Is.EqualTo(expected), what);
        var framed = encoder.Encode(record, 0x01020304);
        Assert.That(framed[..5], Is.EqualTo(new byte[] { 0, 1, 2, 3, 4 }), what);
        Assert.That(framed.AsSpan(5).SequenceEqual(expected), Is.True, what);
    }

    private static byte[] Reference(ISpecificRecord record)
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<ISpecificRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
