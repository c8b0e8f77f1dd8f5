using Avro;
using Streams.Contracts.Curated;

namespace Streams.Contracts.Tests;

[TestFixture]
public sealed class SchemaFileTests
{
    private static readonly string[] CommonFieldNames =
    [
        "timestamp", "event", "log", "message", "source", "user", "http", "url", "user_agent", "host", "service", "error", "tls", "trace", "labels",
    ];

    private static IEnumerable<string> SchemaPaths() => SchemaFiles.Paths.Select(SchemaFiles.Relative);

    [Test]
    public void There_is_one_raw_and_one_curated_schema_per_source_and_the_common_ECS_types()
    {
        var files = SchemaFiles.Paths.Select(SchemaFiles.Relative).ToList();
        foreach (var source in SchemaCatalog.Sources)
        {
            Assert.That(files, Does.Contain($"raw/{source.Source}.avsc").And.Contain($"curated/{source.Source}.avsc"));
        }

        Assert.That(files.Count(file => file.StartsWith("curated/common/", StringComparison.Ordinal)), Is.EqualTo(14));
    }

    [TestCaseSource(nameof(SchemaPaths))]
    public void Every_schema_file_parses(string relativePath)
    {
        var schema = SchemaFiles.ParseAll()[relativePath];

        Assert.That(schema, Is.InstanceOf<RecordSchema>());
        var record = (RecordSchema)schema;
        var expectedNamespace = relativePath.StartsWith("raw/", StringComparison.Ordinal) ? "Streams.Contracts.Raw" : "Streams.Contracts.Curated";
        Assert.That(record.Namespace, Is.EqualTo(expectedNamespace));
    }

    [Test]
    public void The_generated_types_carry_exactly_the_schemas_in_the_files()
    {
        var parsed = SchemaFiles.ParseAll();
        foreach (var source in SchemaCatalog.Sources)
        {
            Assert.That(source.RawSchema.ToString(), Is.EqualTo(parsed[$"raw/{source.Source}.avsc"].ToString()), source.RawSubject);
            Assert.That(source.CuratedSchema.ToString(), Is.EqualTo(parsed[$"curated/{source.Source}.avsc"].ToString()), source.CuratedSubject);
        }

        Assert.That(Event._SCHEMA.ToString(), Is.EqualTo(parsed["curated/common/event.avsc"].ToString()));
    }

    [Test]
    public void Every_curated_schema_starts_with_the_same_common_fields_then_one_source_field()
    {
        var reference = (RecordSchema)SchemaCatalog.Sources[0].CuratedSchema;
        foreach (var source in SchemaCatalog.Sources)
        {
            var curated = (RecordSchema)source.CuratedSchema;
            Assert.That(curated.Fields.Select(field => field.Name).Take(CommonFieldNames.Length), Is.EqualTo(CommonFieldNames), source.Source);
            Assert.That(curated.Fields, Has.Count.EqualTo(CommonFieldNames.Length + 1), source.Source);
            for (var i = 0; i < CommonFieldNames.Length; i++)
            {
                Assert.That(curated.Fields[i].Schema, Is.EqualTo(reference.Fields[i].Schema), $"{source.Source}.{CommonFieldNames[i]}");
            }
        }
    }

    [Test]
    public void Only_timestamp_and_event_are_required_in_curated_records()
    {
        foreach (var source in SchemaCatalog.Sources)
        {
            var required = ((RecordSchema)source.CuratedSchema).Fields
                .Where(field => field.Schema is not UnionSchema)
                .Select(field => field.Name);
            Assert.That(required, Is.EqualTo(new[] { "timestamp", "event" }), source.Source);
        }
    }

    [Test]
    public void Every_raw_schema_starts_with_origin_ingestion_time_and_offset()
    {
        foreach (var source in SchemaCatalog.Sources)
        {
            var fields = ((RecordSchema)source.RawSchema).Fields;
            Assert.That(fields[0].Name, Is.EqualTo("origin"));
            Assert.That(fields[0].Schema.Tag, Is.EqualTo(Schema.Type.String));
            Assert.That(fields[1].Name, Is.EqualTo("ingested_at"));
            Assert.That(fields[1].Schema, Is.InstanceOf<LogicalSchema>().With.Property(nameof(LogicalSchema.LogicalTypeName)).EqualTo("timestamp-millis"));
            Assert.That(fields[2].Name, Is.EqualTo("offset"));
            Assert.That(fields[2].Schema.Tag, Is.EqualTo(Schema.Type.String));
        }
    }

    [Test]
    public void Optional_fields_are_null_first_unions_defaulting_to_null()
    {
        // Readers with a newer schema fill missing fields from the default, which Avro requires to match the first branch.
        foreach (var (path, schema) in SchemaFiles.ParseAll())
        {
            foreach (var record in RecordsWithin(schema, []))
            {
                foreach (var field in record.Fields.Where(field => field.Schema is UnionSchema))
                {
                    var union = (UnionSchema)field.Schema;
                    Assert.That(union.Schemas[0].Tag, Is.EqualTo(Schema.Type.Null), $"{path}: {record.Name}.{field.Name}");
                    Assert.That(field.DefaultValue?.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Null), $"{path}: {record.Name}.{field.Name}");
                }
            }
        }
    }

    private static IEnumerable<RecordSchema> RecordsWithin(Schema schema, HashSet<string> seen)
    {
        IEnumerable<Schema> children = schema switch
        {
            RecordSchema record => seen.Add(record.Fullname) ? record.Fields.Select(field => field.Schema) : [],
            UnionSchema union => union.Schemas,
            ArraySchema array => [array.ItemSchema],
            MapSchema map => [map.ValueSchema],
            _ => [],
        };
        if (schema is RecordSchema self && children.Any())
        {
            yield return self;
        }

        foreach (var child in children)
        {
            foreach (var nested in RecordsWithin(child, seen))
            {
                yield return nested;
            }
        }
    }
}
