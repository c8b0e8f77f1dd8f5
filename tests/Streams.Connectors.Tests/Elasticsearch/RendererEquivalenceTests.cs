using System.Buffers.Binary;
using System.Text;
using Avro;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;
using Streams.Contracts.Raw;
using Streams.Contracts.Tests;
using Streams.Contracts.Tests.Documents;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>
/// The renderer transcodes Avro straight to JSON when a record was written with the catalog's curated schema; the oracle
/// is the decoded path (<see cref="CuratedDocumentRenderer.Read"/>, <see cref="EcsDocumentWriter"/>, the daily index of
/// the record, the key or else event.id): the same bytes, index and id for seeded random records of every source, the
/// sample records and the corpus's entries as the curation makes them, and a record written with another schema goes
/// the decoded way.
/// </summary>
[TestFixture]
public sealed class RendererEquivalenceTests
{
    private const int RandomRecordsPerSource = 1_000;
    private string _scope = null!;

    [SetUp]
    public void CreateScope() => _scope = "equivalence-" + Guid.NewGuid().ToString("N");

    [TearDown]
    public void DropScope() => MockSchemaRegistry.DropScope(_scope);

    [Test]
    public void Random_and_sample_records_of_every_source_render_as_the_decoded_path_renders_them()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var renderer = new CuratedDocumentRenderer(registry, "logs");
        var rendered = 0;
        foreach (var contract in SchemaCatalog.Sources)
        {
            var write = Writer(contract, registry);
            var random = new RandomCuratedRecords(seed: contract.Source.Length * 7919);
            var keys = new Random(contract.Source.Length);
            var records = Enum.GetValues<SampleVariant>().Select(v => SampleRecords.Create((RecordSchema)contract.CuratedSchema, v, ""))
                .Concat(Enumerable.Range(0, RandomRecordsPerSource).Select(_ => random.Create((RecordSchema)contract.CuratedSchema)));
            foreach (var record in records)
            {
                byte[]? key = keys.Next(3) switch
                {
                    0 => null,
                    1 => [],
                    _ => Encoding.UTF8.GetBytes("key-" + keys.Next() + "-ключ"),
                };
                AssertSameAsDecodedPath(renderer, "logs", contract.CuratedTopic, key, write(record));
                rendered++;
            }
        }

        Assert.That(renderer.DocumentsTranscoded, Is.EqualTo(rendered), "every record went the direct way");
    }

    [Test]
    public void The_curated_records_of_the_corpus_render_as_the_decoded_path_renders_them()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var renderer = new CuratedDocumentRenderer(registry);
        var ingested = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        var rendered = 0;
        foreach (var (source, files) in CorpusFiles)
        {
            var contract = SchemaCatalog.For(source);
            var write = Writer(contract, registry);
            var raw = files.SelectMany(f => NativeText.Read(f.Kind, CorpusText(f.File), "corpus/" + f.File, ingested)).Select(r => r.Raw).ToList();
            var curated = raw.Select(r => Curate(source, r)).OfType<ISpecificRecord>().ToList();
            Assert.That(curated, Is.Not.Empty, source);
            foreach (var record in curated)
            {
                AssertSameAsDecodedPath(renderer, "curated", contract.CuratedTopic, null, write(record));
                rendered++;
            }
        }

        Assert.That(renderer.DocumentsTranscoded, Is.EqualTo(rendered), "every record went the direct way");
    }

    [Test]
    public void A_record_from_the_confluent_serializer_is_transcoded()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var renderer = new CuratedDocumentRenderer(registry);
        var serializer = new AvroSerializer<MysqlCurated>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();
        var record = SampleRecords.Create<MysqlCurated>(SampleVariant.Full);

        AssertSameAsDecodedPath(renderer, "curated", "curated.mysql", null, serializer.Serialize(record, new SerializationContext(MessageComponentType.Value, "curated.mysql")));

        Assert.That(renderer.DocumentsTranscoded, Is.EqualTo(1));
    }

    [Test]
    public void A_record_written_with_another_schema_is_resolved_by_the_decoded_path()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var renderer = new CuratedDocumentRenderer(registry);
        var contract = SchemaCatalog.For("elb");

        // A newer writer: one more field, first, which the curated reader schema does not know.
        var root = System.Text.Json.Nodes.JsonNode.Parse(contract.CuratedSchema.ToString())!;
        root["fields"]!.AsArray().Insert(0, System.Text.Json.Nodes.JsonNode.Parse("""{"name":"shard","type":["null","string"],"default":null}"""));
        var id = registry.RegisterSchemaAsync(contract.CuratedSubject, new Confluent.SchemaRegistry.Schema(root.ToJsonString(), SchemaType.Avro)).GetAwaiter().GetResult();
        var record = SampleRecords.Create<ElbCurated>(SampleVariant.Full);
        using var stream = new MemoryStream();
        stream.Write([0, 0, 0, 0, 0]);
        BinaryPrimitives.WriteInt32BigEndian(stream.GetBuffer().AsSpan(1, 4), id);
        var encoder = new BinaryEncoder(stream);
        encoder.WriteUnionIndex(1);
        encoder.WriteString("shard-7");
        new SpecificDatumWriter<ElbCurated>(record.Schema).Write(record, encoder);

        AssertSameAsDecodedPath(renderer, "curated", contract.CuratedTopic, null, stream.ToArray());

        Assert.That(renderer.DocumentsTranscoded, Is.Zero);
    }

    [Test]
    public void A_record_without_key_or_event_id_is_refused_by_both_paths()
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var renderer = new CuratedDocumentRenderer(registry);
        var value = Writer(SchemaCatalog.For("laravel"), registry)(new LaravelCurated { timestamp = DateTime.UnixEpoch, @event = new Event { id = "" } });

        Assert.That(() => renderer.Render(Consumed("curated.laravel", [], value)), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("neither a key nor an event.id"));
    }

    private static void AssertSameAsDecodedPath(CuratedDocumentRenderer renderer, string prefix, string topic, byte[]? key, byte[] value)
    {
        var decoded = renderer.Read(topic, value);
        var expectedJson = EcsDocumentWriter.ToUtf8(decoded);
        var expectedIndex = prefix + EcsIndexNames.For(decoded)["curated".Length..];
        var eventId = ((Event?)decoded.Get(((RecordSchema)decoded.Schema).Fields.First(f => f.Name == "event").Pos))?.id;
        var expectedId = key is { Length: > 0 } ? Encoding.UTF8.GetString(key) : string.IsNullOrEmpty(eventId) ? null : eventId;

        if (expectedId is null)
        {
            Assert.That(() => renderer.Render(Consumed(topic, key, value)), Throws.InstanceOf<InvalidDataException>());
            return;
        }

        var document = renderer.Render(Consumed(topic, key, value));
        if (!document.Json.Span.SequenceEqual(expectedJson))
        {
            Assert.Fail($"{topic}:\n  rendered {Encoding.UTF8.GetString(document.Json.Span)}\n  decoded  {Encoding.UTF8.GetString(expectedJson)}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.Index, Is.EqualTo(expectedIndex));
            Assert.That(document.Id, Is.EqualTo(expectedId));
        }
    }

    private static readonly (string Source, (string Kind, string File)[] Files)[] CorpusFiles =
    [
        ("mysql", [("mysql-general", "mysql-general-mariadb-10.11.log"), ("mysql-slowlog", "mysql-slowlog-8.0.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.3.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.11.log")]),
        ("mongodb", [("mongodb", "mongodb-4.4-json.log"), ("mongodb", "mongodb-3.2-legacy.log")]),
        ("laravel", [("laravel", "laravel.log")]),
        ("elb", [("elb", "elb-alb.log"), ("elb", "elb-alb-2.log"), ("elb", "elb-classic.log"), ("elb", "elb-nlb.log")]),
    ];

    private static ISpecificRecord? Curate(string source, ISpecificRecord raw) => source switch
    {
        "mysql" => new MysqlCuration(TimeZoneInfo.Utc).Curate((MysqlRaw)raw).Curated,
        "mongodb" => new MongodbCuration().Curate((MongodbRaw)raw).Curated,
        "laravel" => new LaravelCuration(TimeZoneInfo.Utc).Curate((LaravelRaw)raw).Curated,
        "elb" => new ElbCuration().Curate((ElbRaw)raw).Curated,
        _ => throw new ArgumentException("unknown source " + source, nameof(source)),
    };

    /// <summary>A file of tests/corpus without its "# origin:" line.</summary>
    private static string CorpusText(string file)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "corpus", file);
            if (File.Exists(path))
            {
                return string.Join('\n', File.ReadAllLines(path).Where(l => !l.StartsWith("# origin:", StringComparison.Ordinal))) + "\n";
            }
        }

        throw new FileNotFoundException($"tests/corpus/{file} not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static ConsumeResult<byte[], byte[]> Consumed(string topic, byte[]? key, byte[] value) =>
        new() { Topic = topic, Message = new Message<byte[], byte[]> { Key = key!, Value = value } };

    /// <summary>Confluent's wire format around Avro's own encoding of the record, the schema registered as the serializer registers it.</summary>
    private static Func<ISpecificRecord, byte[]> Writer(SourceContract contract, ISchemaRegistryClient registry)
    {
        var id = registry.RegisterSchemaAsync(contract.CuratedSubject, new Confluent.SchemaRegistry.Schema(contract.CuratedSchema.ToString(), SchemaType.Avro)).GetAwaiter().GetResult();
        var writer = new SpecificDatumWriter<ISpecificRecord>(contract.CuratedSchema);
        return record =>
        {
            using var stream = new MemoryStream();
            stream.Write([0, 0, 0, 0, 0]);
            BinaryPrimitives.WriteInt32BigEndian(stream.GetBuffer().AsSpan(1, 4), id);
            writer.Write(record, new BinaryEncoder(stream));
            return stream.ToArray();
        };
    }
}
