using System.Text.Json;
using Avro;
using Streams.Contracts.Documents;

namespace Streams.Contracts.Tests.Documents;

public sealed class EcsMappingGeneratorTests
{
    private static IEnumerable<TestCaseData> CuratedSchemas() =>
        SchemaCatalog.Sources.Select(contract => new TestCaseData((RecordSchema)contract.CuratedSchema).SetArgDisplayNames(contract.Source));

    [TestCaseSource(nameof(CuratedSchemas))]
    public void Common_ecs_fields_get_their_elasticsearch_types(RecordSchema schema)
    {
        using var mapping = JsonDocument.Parse(EcsMappingGenerator.Generate(schema));
        var root = mapping.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("dynamic").GetString(), Is.EqualTo("strict"));
            Assert.That(TypeAt(root, "@timestamp"), Is.EqualTo("date"));
            Assert.That(TypeAt(root, "event.ingested"), Is.EqualTo("date"));
            Assert.That(TypeAt(root, "event.duration"), Is.EqualTo("long"));
            Assert.That(TypeAt(root, "event.category"), Is.EqualTo("keyword"));
            Assert.That(TypeAt(root, "source.ip"), Is.EqualTo("ip"));
            Assert.That(TypeAt(root, "source.geo.location"), Is.EqualTo("geo_point"));
            Assert.That(TypeAt(root, "http.response.status_code"), Is.EqualTo("long"));
            Assert.That(TypeAt(root, "message"), Is.EqualTo("text"));
            Assert.That(TypeAt(root, "url.original"), Is.EqualTo("text"));
            Assert.That(Node(root, "url.original").GetProperty("fields").GetProperty("keyword").GetProperty("type").GetString(), Is.EqualTo("keyword"));
            Assert.That(Node(root, "source").GetProperty("dynamic").GetString(), Is.EqualTo("strict"));
            Assert.That(Node(root, "source.geo").GetProperty("dynamic").GetString(), Is.EqualTo("strict"));
            Assert.That(Node(root, "labels").GetProperty("dynamic").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("dynamic_templates")[0].GetProperty("labels").GetProperty("mapping").GetProperty("type").GetString(), Is.EqualTo("keyword"));
        }
    }

    [Test]
    public void Source_specific_fields_get_ip_text_and_stored_only_types()
    {
        using var elb = JsonDocument.Parse(EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.CuratedSchema("elb")));
        using var mysql = JsonDocument.Parse(EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.CuratedSchema("mysql")));
        using var mongodb = JsonDocument.Parse(EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.CuratedSchema("mongodb")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TypeAt(elb.RootElement, "aws.elb.backend_ip"), Is.EqualTo("ip"));
            Assert.That(TypeAt(elb.RootElement, "aws.elb.request_creation_time"), Is.EqualTo("date"));
            Assert.That(TypeAt(elb.RootElement, "aws.elb.request_processing_time_sec"), Is.EqualTo("double"));
            Assert.That(TypeAt(mysql.RootElement, "mysql.query"), Is.EqualTo("text"));
            Assert.That(TypeAt(mysql.RootElement, "mysql.query_cache_hit"), Is.EqualTo("boolean"));
            Assert.That(TypeAt(mongodb.RootElement, "mongodb.attr"), Is.EqualTo("keyword"));
            Assert.That(Node(mongodb.RootElement, "mongodb.attr").GetProperty("index").GetBoolean(), Is.False);
            Assert.That(Node(mongodb.RootElement, "mongodb.component").GetProperty("ignore_above").GetInt32(), Is.EqualTo(EcsFieldTypes.IgnoreAbove));
        }
    }

    [TestCaseSource(nameof(CuratedSchemas))]
    public void Every_path_a_fully_populated_record_renders_is_in_the_mapping(RecordSchema schema)
    {
        using var mapping = JsonDocument.Parse(EcsMappingGenerator.Generate(schema));
        var record = SampleRecords.Create(schema, SampleVariant.Full, "");
        using var document = JsonDocument.Parse(EcsDocumentWriter.ToUtf8(record));
        var paths = new List<string>();
        CollectLeafPaths(document.RootElement, "", mapping.RootElement, paths);

        Assert.That(paths, Has.Count.GreaterThan(40));
        Assert.That(paths, Has.Member("source.geo.location"), "the geo point is one leaf");
        Assert.That(paths.Where(path => !IsMapped(mapping.RootElement, path)), Is.Empty);
    }

    [Test]
    public void Output_is_the_same_every_time_and_properties_are_sorted()
    {
        var schema = (RecordSchema)SchemaCatalog.CuratedSchema("laravel");
        var first = EcsMappingGenerator.Generate(schema);
        using var mapping = JsonDocument.Parse(first);
        var names = mapping.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(EcsMappingGenerator.Generate(schema), Is.EqualTo(first));
            Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(names[0], Is.EqualTo("@timestamp"));
        }
    }

    /// <summary>Leaves of a rendered document; a geo point object ends the walk where the mapping says geo_point.</summary>
    private static void CollectLeafPaths(JsonElement element, string path, JsonElement mapping, List<string> paths)
    {
        if (element.ValueKind == JsonValueKind.Object && !(path.Length > 0 && TypeAt(mapping, path) == "geo_point"))
        {
            foreach (var property in element.EnumerateObject())
            {
                CollectLeafPaths(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", mapping, paths);
            }
        }
        else
        {
            paths.Add(path);
        }
    }

    private static bool IsMapped(JsonElement mapping, string path)
    {
        var node = mapping;
        var remaining = path;
        while (true)
        {
            if (!node.TryGetProperty("properties", out var properties))
            {
                // Below a dynamic object (labels) any key is accepted and typed by the dynamic template.
                return node.TryGetProperty("dynamic", out var dynamic) && dynamic.ValueKind == JsonValueKind.True;
            }

            var dot = remaining.IndexOf('.', StringComparison.Ordinal);
            var segment = dot < 0 ? remaining : remaining[..dot];
            if (!properties.TryGetProperty(segment, out node))
            {
                return false;
            }

            if (dot < 0)
            {
                return node.TryGetProperty("type", out _);
            }

            remaining = remaining[(dot + 1)..];
        }
    }

    private static JsonElement Node(JsonElement mapping, string path)
    {
        var node = mapping;
        foreach (var segment in path.Split('.'))
        {
            node = node.GetProperty("properties").GetProperty(segment);
        }

        return node;
    }

    private static string? TypeAt(JsonElement mapping, string path)
    {
        try
        {
            return Node(mapping, path).TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
