using System.Text.Json;
using System.Text.Json.Nodes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts;

namespace Streams.Connectors.Tests.Kibana;

/// <summary>
/// deploy/kibana/saved-objects.ndjson in Kibana 8's saved objects export format (one object a line: type, id,
/// attributes, references, coreMigrationVersion, typeMigrationVersion): its data views, and every Lens panel of its
/// dashboards, use only data views in the file and fields that the sink's index templates map, with a suitable type.
/// </summary>
[TestFixture]
public sealed class KibanaSavedObjectsTests
{
    private static readonly string[] NumericTypes = ["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"];
    private static readonly Dictionary<string, string[]> TypesByOperation = new(StringComparer.Ordinal)
    {
        ["date_histogram"] = ["date"],
        ["terms"] = ["keyword", "ip", "boolean", .. NumericTypes],
        ["average"] = NumericTypes,
        ["sum"] = NumericTypes,
        ["min"] = NumericTypes,
        ["max"] = NumericTypes,
        ["median"] = NumericTypes,
        ["percentile"] = NumericTypes,
        ["unique_count"] = ["keyword", "ip", "boolean", .. NumericTypes],
    };

    private static List<JsonObject> _objects = null!;

    [OneTimeSetUp]
    public static void Load() => _objects = File.ReadAllLines(SavedObjectsPath())
        .Where(line => line.Length > 0)
        .Select(line => JsonNode.Parse(line)!.AsObject())
        .ToList();

    /// <summary>The file, found from the test's output directory up to the repository root.</summary>
    public static string SavedObjectsPath()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "kibana", "saved-objects.ndjson");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("deploy/kibana/saved-objects.ndjson not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static IEnumerable<JsonObject> OfType(string type) => _objects.Where(o => o["type"]!.GetValue<string>() == type);

    private static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    [Test]
    public void Every_line_is_a_saved_object_with_the_export_fields_and_a_unique_fixed_id()
    {
        Assert.That(_objects, Is.Not.Empty);
        foreach (var o in _objects)
        {
            Assert.Multiple(() =>
            {
                Assert.That(o["type"]?.GetValue<string>(), Is.AnyOf("index-pattern", "lens", "dashboard"));
                Assert.That(o["id"]?.GetValue<string>(), Does.Match("^streams-[a-z0-9-]+$"), "fixed, readable ids");
                Assert.That(o["attributes"], Is.InstanceOf<JsonObject>());
                Assert.That(o["attributes"]?["title"]?.GetValue<string>(), Is.Not.Empty);
                Assert.That(o["references"], Is.InstanceOf<JsonArray>());
                Assert.That(o["coreMigrationVersion"]?.GetValue<string>(), Does.Match(@"^8\.\d+\.\d+$"));
                Assert.That(o["typeMigrationVersion"]?.GetValue<string>(), Does.Match(@"^\d+\.\d+\.\d+$"));
            });
        }

        Assert.That(_objects.Select(o => (o["type"]!.GetValue<string>(), Id(o))), Is.Unique);
    }

    [Test]
    public void There_is_a_data_view_for_all_curated_indices_and_one_per_source_all_timed_by_timestamp()
    {
        var views = OfType("index-pattern").ToDictionary(v => v["attributes"]!["title"]!.GetValue<string>(), Id);
        var expected = new[] { "curated-*" }.Concat(SchemaCatalog.Sources.Select(s => $"curated-{s.Source}-*"));

        Assert.Multiple(() =>
        {
            Assert.That(views.Keys, Is.EquivalentTo(expected));
            Assert.That(views["curated-*"], Is.EqualTo("streams-curated"));
            foreach (var source in SchemaCatalog.Sources)
            {
                Assert.That(views[$"curated-{source.Source}-*"], Is.EqualTo($"streams-curated-{source.Source}"));
            }

            foreach (var view in OfType("index-pattern"))
            {
                Assert.That(view["attributes"]!["timeFieldName"]?.GetValue<string>(), Is.EqualTo("@timestamp"), Id(view));
            }
        });
    }

    [Test]
    public void Every_lens_uses_a_data_view_of_the_file_and_fields_the_curated_mappings_contain_with_a_suitable_type()
    {
        var views = OfType("index-pattern").ToDictionary(Id, v => v["attributes"]!["title"]!.GetValue<string>());
        var lenses = OfType("lens").ToList();
        Assert.That(lenses, Is.Not.Empty);
        foreach (var lens in lenses)
        {
            var name = Id(lens);
            var state = lens["attributes"]!["state"]!;
            var layers = state["datasourceStates"]!["formBased"]!["layers"]!.AsObject();
            var references = lens["references"]!.AsArray().Select(r => r!.AsObject()).ToList();
            Assert.That(layers, Is.Not.Empty, name);
            var columnIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (layerId, layer) in layers)
            {
                var reference = references.SingleOrDefault(r => r["name"]!.GetValue<string>() == "indexpattern-datasource-layer-" + layerId);
                Assert.That(reference, Is.Not.Null, $"{name}: layer {layerId} has no data view reference");
                Assert.That(reference!["type"]!.GetValue<string>(), Is.EqualTo("index-pattern"), name);
                var viewId = reference["id"]!.GetValue<string>();
                Assert.That(views, Does.ContainKey(viewId), $"{name}: data view {viewId} is not in the file");
                var fields = FieldsOf(views[viewId]);
                var columns = layer!["columns"]!.AsObject();
                Assert.That(layer["columnOrder"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EquivalentTo(columns.Select(c => c.Key)), name);
                foreach (var (columnId, column) in columns)
                {
                    columnIds.Add(columnId);
                    var operation = column!["operationType"]!.GetValue<string>();
                    var field = column["sourceField"]?.GetValue<string>();
                    if (operation == "count")
                    {
                        Assert.That(field, Is.EqualTo("___records___"), $"{name}.{columnId}");
                        continue;
                    }

                    Assert.That(TypesByOperation, Does.ContainKey(operation), $"{name}.{columnId}: operation {operation}");
                    Assert.That(fields, Does.ContainKey(field!), $"{name}.{columnId}: {field} is not in the mappings of {views[viewId]}");
                    Assert.That(TypesByOperation[operation], Does.Contain(fields[field!]), $"{name}.{columnId}: {operation} on {field} ({fields[field!]})");
                }
            }

            foreach (var accessor in Accessors(state["visualization"]!))
            {
                Assert.That(columnIds, Does.Contain(accessor), $"{name}: the visualization uses column {accessor} that no layer defines");
            }
        }
    }

    [Test]
    public void Every_dashboard_panel_refers_to_a_lens_of_the_file()
    {
        var lenses = OfType("lens").ToDictionary(Id);
        var dashboards = OfType("dashboard").ToList();
        Assert.That(dashboards, Is.Not.Empty);
        foreach (var dashboard in dashboards)
        {
            var panels = JsonNode.Parse(dashboard["attributes"]!["panelsJSON"]!.GetValue<string>())!.AsArray();
            var references = dashboard["references"]!.AsArray().Select(r => r!.AsObject()).ToList();
            Assert.That(panels, Is.Not.Empty, Id(dashboard));
            foreach (var panel in panels)
            {
                var referenceName = $"{panel!["panelIndex"]!.GetValue<string>()}:{panel["panelRefName"]!.GetValue<string>()}";
                var reference = references.SingleOrDefault(r => r["name"]!.GetValue<string>() == referenceName);
                Assert.That(reference, Is.Not.Null, $"{Id(dashboard)}: no reference {referenceName}");
                Assert.That(reference!["type"]!.GetValue<string>(), Is.EqualTo(panel["type"]!.GetValue<string>()));
                Assert.That(lenses, Does.ContainKey(reference["id"]!.GetValue<string>()), $"{Id(dashboard)}: {reference["id"]} is not in the file");
            }
        }
    }

    [TestCase("streams-dashboard-elb", "lnsChoropleth", "source.geo.country_iso_code")]
    [TestCase("streams-dashboard-elb", "lnsXY", "http.response.status_code")]
    [TestCase("streams-dashboard-elb", "lnsXY", "aws.elb.backend_processing_time_sec")]
    [TestCase("streams-dashboard-slow-queries", "lnsDatatable", "mysql.query_time_us")]
    [TestCase("streams-dashboard-slow-queries", "lnsDatatable", "event.duration")]
    [TestCase("streams-dashboard-laravel", "lnsXY", "log.level")]
    [TestCase("streams-dashboard-laravel", "lnsDatatable", "laravel.exception.class")]
    public void The_dashboards_show_what_analysts_asked_for(string dashboardId, string visualization, string field)
    {
        var dashboard = OfType("dashboard").Single(d => Id(d) == dashboardId);
        var lensIds = dashboard["references"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToHashSet();
        var panels = OfType("lens").Where(l => lensIds.Contains(Id(l))).ToList();

        Assert.That(
            panels.Any(l => l["attributes"]!["visualizationType"]!.GetValue<string>() == visualization && l.ToJsonString().Contains($"\"sourceField\":\"{field}\"", StringComparison.Ordinal)),
            Is.True,
            $"{dashboardId} has no {visualization} panel on {field}");
    }

    /// <summary>Field path → Elasticsearch type, for the sources whose daily indices the data view's title matches.</summary>
    private static Dictionary<string, string> FieldsOf(string title)
    {
        var sources = SchemaCatalog.Sources.Where(s => title == "curated-*" || title == $"curated-{s.Source}-*").ToList();
        Assert.That(sources, Is.Not.Empty, $"data view {title} matches no curated index");
        var perSource = sources.Select(s => Flatten(JsonNode.Parse(CuratedDocumentRenderer.MappingsFor(s.Source).Span)!["properties"]!.AsObject(), "")).ToList();

        // A field of a multi-source view must be mapped alike in all of them.
        return perSource.Skip(1).Aggregate(perSource[0], (all, next) => all.Where(f => next.TryGetValue(f.Key, out var t) && t == f.Value).ToDictionary());
    }

    private static Dictionary<string, string> Flatten(JsonObject properties, string prefix)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, mapping) in properties)
        {
            if (mapping!["properties"] is JsonObject nested)
            {
                foreach (var (path, type) in Flatten(nested, prefix + name + "."))
                {
                    fields[path] = type;
                }
            }
            else if (mapping["type"] is { } type)
            {
                fields[prefix + name] = type.GetValue<string>();
            }
        }

        return fields;
    }

    private static IEnumerable<string> Accessors(JsonNode visualization)
    {
        string[] names = ["xAccessor", "splitAccessor", "regionAccessor", "valueAccessor", "columnId", "metricAccessor"];
        foreach (var node in Descendants(visualization))
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (names.Contains(key) && value is JsonValue single && single.GetValueKind() == JsonValueKind.String)
                    {
                        yield return single.GetValue<string>();
                    }
                    else if (key == "accessors" && value is JsonArray many)
                    {
                        foreach (var item in many)
                        {
                            yield return item!.GetValue<string>();
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }
}
