using System.Net;
using System.Text.Json;
using Avro;
using Avro.IO;
using Avro.Specific;
using NUnit.Framework;
using Streams.Contracts.Documents;
using Streams.Topology.Elb;
using Streams.Topology.Laravel;
using Streams.Topology.Mongodb;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Normalising;

/// <summary>
/// Every corpus entry through parser, normaliser, Avro and the document renderer: the record must satisfy its
/// schema, and every rendered field must exist in the Elasticsearch mapping with a value it accepts.
/// </summary>
public sealed class CuratedCorpusTests
{
    private static IEnumerable<TestCaseData> CuratedCorpus()
    {
        var context = Contexts.For("corpus");
        var mysqlGeneral = MysqlGeneralLogFileParser.SplitEntries(Corpus.Text("mysql-general-mariadb-10.11.log"))
            .Select(e => MysqlGeneralLogFileParser.ParseEntry(e).Value).OfType<MysqlGeneralEntry>()
            .Select(e => (ISpecificRecord)MysqlNormaliser.Normalise(e, context));
        var mysqlSlow = new[] { "mysql-slowlog-8.0.log", "mysql-slowlog-mariadb-10.3.log", "mysql-slowlog-mariadb-10.11.log" }
            .SelectMany(name => MysqlSlowLogFileParser.SplitEntries(Corpus.Text(name)))
            .Select(e => MysqlSlowLogFileParser.ParseEntry(e).Value).OfType<MysqlSlowEntry>()
            .Select(e => (ISpecificRecord)MysqlNormaliser.Normalise(e, context));
        var mongodb = Corpus.Lines("mongodb-4.4-json.log").Concat(Corpus.Lines("mongodb-3.2-legacy.log"))
            .Select(l => MongodbLogParser.Parse(l).Value).OfType<MongodbLogEntry>()
            .Select(e => (ISpecificRecord)MongodbNormaliser.Normalise(e, context));
        var laravel = LaravelLogParser.SplitEntries(Corpus.Text("laravel.log"))
            .Select(t => LaravelLogParser.ParseEntry(t).Value).OfType<LaravelEntry>()
            .Select(e => (ISpecificRecord)LaravelNormaliser.Normalise(e, context));
        var elb = new[] { "elb-alb.log", "elb-alb-2.log", "elb-classic.log", "elb-nlb.log" }
            .SelectMany(Corpus.Lines)
            .Select(l => ElbAccessLogParser.Parse(l).Value).OfType<ElbAccessLogEntry>()
            .Select(e => (ISpecificRecord)ElbNormaliser.Normalise(e, context));

        return new[] { ("mysql.general", mysqlGeneral), ("mysql.slowlog", mysqlSlow), ("mongodb", mongodb), ("laravel", laravel), ("elb", elb) }
            .Select(source => new TestCaseData(source.Item2.ToList()).SetArgDisplayNames(source.Item1));
    }

    [TestCaseSource(nameof(CuratedCorpus))]
    public void Curated_records_serialise_with_their_schema_and_render_only_mapped_fields(List<ISpecificRecord> records)
    {
        Assert.That(records, Is.Not.Empty);
        var schema = (RecordSchema)records[0].Schema;
        using var mapping = JsonDocument.Parse(EcsMappingGenerator.Generate(schema));

        foreach (var record in records)
        {
            using var stream = new MemoryStream();
            Assert.That(() => new SpecificDatumWriter<ISpecificRecord>(schema).Write(record, new BinaryEncoder(stream)), Throws.Nothing);

            using var document = JsonDocument.Parse(EcsDocumentWriter.ToUtf8(record));
            var leaves = new List<(string Path, JsonElement Value)>();
            Leaves(document.RootElement, "", leaves);
            foreach (var (path, value) in leaves)
            {
                var type = MappedType(mapping.RootElement, path);
                Assert.That(type, Is.Not.Null, $"{path} is not in the mapping");
                if (type == "ip")
                {
                    Assert.That(IPAddress.TryParse(value.GetString(), out _), Is.True, $"{path} = {value}");
                }
            }
        }
    }

    private static void Leaves(JsonElement element, string path, List<(string, JsonElement)> leaves)
    {
        if (element.ValueKind == JsonValueKind.Object && path != "source.geo.location")
        {
            foreach (var property in element.EnumerateObject())
            {
                Leaves(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Leaves(item, path, leaves);
            }
        }
        else
        {
            leaves.Add((path, element));
        }
    }

    /// <summary>The mapped type of a path; "dynamic" below an object that takes any key (labels).</summary>
    private static string? MappedType(JsonElement mapping, string path)
    {
        var node = mapping;
        foreach (var segment in path.Split('.'))
        {
            if (!node.TryGetProperty("properties", out var properties))
            {
                return node.TryGetProperty("dynamic", out var dynamic) && dynamic.ValueKind == JsonValueKind.True ? "dynamic" : null;
            }

            if (!properties.TryGetProperty(segment, out node))
            {
                return null;
            }
        }

        return node.TryGetProperty("type", out var type) ? type.GetString() : null;
    }
}
