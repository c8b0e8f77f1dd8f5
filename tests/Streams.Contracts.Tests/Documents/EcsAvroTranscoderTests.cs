using System.Text;
using Avro;
using Avro.IO;
using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;

namespace Streams.Contracts.Tests.Documents;

/// <summary>
/// The transcoder against its oracle, <see cref="EcsDocumentWriter"/> over the record Avro decodes from the same bytes:
/// the same document byte for byte, the same @timestamp and event.id, for every hand-written record of these tests and
/// thousands of seeded random ones; and what it must hand back to the decoded path.
/// </summary>
public sealed class EcsAvroTranscoderTests
{
    private const int RandomRecordsPerSource = 2_000;

    [Test]
    public void Every_curated_schema_compiles_with_its_timestamp()
    {
        foreach (var contract in SchemaCatalog.Sources)
        {
            var transcoder = EcsAvroTranscoder.TryCreate((RecordSchema)contract.CuratedSchema);
            Assert.That(transcoder?.HasTimestamp, Is.True, contract.Source);
        }
    }

    [Test]
    public void Hand_written_and_sample_records_transcode_to_the_decoded_records_document()
    {
        var records = new List<ISpecificRecord>
        {
            CuratedExamples.Mysql(), CuratedExamples.Mongodb(), CuratedExamples.Laravel(), CuratedExamples.Elb(),
            GoldenRecords.Mysql(), GoldenRecords.Mongodb(), GoldenRecords.Laravel(), GoldenRecords.Elb(),
            new MysqlCurated { timestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), @event = new Event() },
        };
        var nan = CuratedExamples.Elb();
        nan.aws.elb.request_processing_time_sec = double.NaN;
        nan.source.geo.location.lat = double.PositiveInfinity;
        records.Add(nan);
        foreach (var contract in SchemaCatalog.Sources)
        {
            foreach (var variant in Enum.GetValues<SampleVariant>())
            {
                records.Add(SampleRecords.Create((RecordSchema)contract.CuratedSchema, variant, ""));
            }
        }

        foreach (var record in records)
        {
            AssertSameAsDecoded(record);
        }
    }

    [Test]
    public void Seeded_random_records_of_every_source_transcode_to_the_decoded_records_document()
    {
        foreach (var contract in SchemaCatalog.Sources)
        {
            var random = new RandomCuratedRecords(seed: contract.Source.GetHashCode(StringComparison.Ordinal) ^ 20261127);
            for (var i = 0; i < RandomRecordsPerSource; i++)
            {
                AssertSameAsDecoded(random.Create((RecordSchema)contract.CuratedSchema), $"{contract.Source} #{i}");
            }
        }
    }

    [Test]
    public void An_empty_nested_record_is_left_out_at_every_depth()
    {
        var record = new ElbCurated
        {
            timestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            @event = new Event { category = [] },
            source = new Source { geo = new Geo { location = new GeoPoint { lat = double.NaN, lon = double.NaN } }, @as = new As { organization = new AsOrganization() } },
            labels = new Dictionary<string, string>(),
            aws = new Aws { elb = new AwsElb { actions_executed = [] } },
            http = new Http { response = new HttpResponse { status_code = 0 } },
        };

        var (json, _, _) = Transcode(record);

        Assert.That(Encoding.UTF8.GetString(json), Is.EqualTo("""{"@timestamp":"2026-01-02T03:04:05.000000Z","http":{"response":{"status_code":0}}}"""));
        AssertSameAsDecoded(record);
    }

    [Test]
    public void A_string_that_is_not_utf8_and_a_repeated_map_key_are_handed_to_the_decoded_path()
    {
        var transcoder = EcsAvroTranscoder.TryCreate((RecordSchema)new ElbCurated().Schema)!;
        var record = new ElbCurated { timestamp = DateTime.UnixEpoch, @event = new Event { id = "\u00e9" }, labels = new Dictionary<string, string> { ["k"] = "a", ["l"] = "b" } };
        var body = AvroBinary.Encode(record);

        // é is C3 A9; a lone A9 is no UTF-8. "l" becomes "k": the map now repeats a key.
        var badText = body.ToArray();
        badText[badText.AsSpan().IndexOf([(byte)0xC3, (byte)0xA9])] = (byte)'x';
        var repeatedKey = body.ToArray();
        repeatedKey[repeatedKey.AsSpan().LastIndexOf("l"u8)] = (byte)'k';

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TryWrite(transcoder, body), Is.True, "the intact record");
            Assert.That(TryWrite(transcoder, badText), Is.False, "invalid UTF-8");
            Assert.That(TryWrite(transcoder, repeatedKey), Is.False, "a repeated key");
        }
    }

    [Test]
    public void A_truncated_record_throws_as_the_decoder_does()
    {
        var transcoder = EcsAvroTranscoder.TryCreate((RecordSchema)new ElbCurated().Schema)!;
        var body = AvroBinary.Encode(CuratedExamples.Elb());
        for (var length = 0; length < body.Length; length += 7)
        {
            var cut = body[..length];
            Assert.That(() => TryWrite(transcoder, cut), Throws.InstanceOf<EndOfStreamException>().Or.InstanceOf<AvroException>(), $"{length} of {body.Length} bytes");
            Assert.That(() => Decode(cut, (RecordSchema)new ElbCurated().Schema), Throws.Exception, $"{length} of {body.Length} bytes");
        }
    }

    [Test]
    public void Schemas_it_does_not_transcode_are_refused_when_compiled()
    {
        var recursive = (RecordSchema)Schema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]},{"name":"v","type":"long"}]}""");
        var choice = (RecordSchema)Schema.Parse("""{"type":"record","name":"Choice","fields":[{"name":"v","type":["null","long","string"]}]}""");

        using (Assert.EnterMultipleScope())
        {
            // Raw schemas carry enums (the kind of a MySQL raw record).
            Assert.That(EcsAvroTranscoder.TryCreate((RecordSchema)new Streams.Contracts.Raw.MysqlRaw().Schema), Is.Null);
            Assert.That(EcsAvroTranscoder.TryCreate(recursive), Is.Null);
            Assert.That(EcsAvroTranscoder.TryCreate(choice), Is.Null);
        }
    }

    private static bool TryWrite(EcsAvroTranscoder transcoder, byte[] body) => transcoder.TryTranscode(body, out _, out _, out _);

    private static (byte[] Json, DateTime? Timestamp, string? EventId) Transcode(ISpecificRecord record)
    {
        var transcoder = EcsAvroTranscoder.TryCreate((RecordSchema)record.Schema)!;
        var body = AvroBinary.Encode(record);
        Assert.That(transcoder.TryTranscode(body, out var json, out var timestamp, out var eventId), Is.True);
        var id = eventId.GetOffsetAndLength(body.Length).Length == 0 ? null : Encoding.UTF8.GetString(body.AsSpan()[eventId]);
        return (json.ToArray(), timestamp, id);
    }

    private static void AssertSameAsDecoded(ISpecificRecord record, string? what = null)
    {
        var schema = (RecordSchema)record.Schema;
        var decoded = Decode(AvroBinary.Encode(record), schema);
        var (json, timestamp, eventId) = Transcode(record);
        var expected = EcsDocumentWriter.ToUtf8(decoded);
        var expectedId = schema.TryGetField("event", out var field) && decoded.Get(field.Pos) is Event { id: { Length: > 0 } id } ? id : null;
        var expectedTime = decoded.Get(schema.Fields.First(f => EcsNames.SegmentOf(f) == "@timestamp").Pos);

        if (!json.AsSpan().SequenceEqual(expected))
        {
            Assert.Fail($"{what ?? schema.Name}:\n  transcoded {Encoding.UTF8.GetString(json)}\n  decoded    {Encoding.UTF8.GetString(expected)}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timestamp, Is.EqualTo(expectedTime), what);
            Assert.That(timestamp?.Kind, Is.EqualTo(DateTimeKind.Utc), what);
            Assert.That(eventId, Is.EqualTo(expectedId), what);
        }
    }

    private static ISpecificRecord Decode(byte[] body, RecordSchema schema)
    {
        using var stream = new MemoryStream(body);
        return new SpecificDatumReader<ISpecificRecord>(schema, schema).Read(null!, new BinaryDecoder(stream));
    }
}
