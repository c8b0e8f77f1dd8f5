using Avro;
using Streams.Contracts.Curated;

namespace Streams.Contracts.Tests;

[TestFixture]
public sealed class EcsNamesTests
{
    [Test]
    public void Timestamp_is_rendered_as_at_timestamp_and_nested_records_as_dotted_paths()
    {
        var paths = EcsNames.Paths((RecordSchema)MysqlCurated._SCHEMA);

        Assert.That(paths[0], Is.EqualTo("@timestamp"));
        Assert.That(paths, Does.Not.Contain("timestamp"));
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "event.id", "event.kind", "event.category", "event.type", "event.outcome", "event.dataset", "event.module",
            "event.duration", "event.original", "event.ingested",
            "log.level", "log.logger", "log.file.path", "log.offset",
            "message",
            "source.ip", "source.port", "source.address",
            "source.geo.country_iso_code", "source.geo.country_name", "source.geo.region_name", "source.geo.city_name",
            "source.geo.location.lat", "source.geo.location.lon", "source.geo.timezone",
            "source.as.number", "source.as.organization.name",
            "user.name",
            "http.request.method", "http.request.bytes", "http.response.status_code", "http.response.bytes", "http.version",
            "url.original", "url.path", "url.query", "url.domain", "url.port", "url.scheme",
            "user_agent.original", "host.name", "service.name",
            "error.type", "error.message", "error.stack_trace",
            "tls.version", "tls.cipher", "tls.client.server_name",
            "trace.id", "labels",
            "mysql.thread_id", "mysql.query", "mysql.query_time_us", "mysql.rows_examined",
        }));
    }

    [Test]
    public void Source_specific_parts_nest_under_their_own_names()
    {
        Assert.That(EcsNames.Paths((RecordSchema)ElbCurated._SCHEMA), Does.Contain("aws.elb.backend_ip").And.Contain("aws.elb.target_group_arn"));
        Assert.That(EcsNames.Paths((RecordSchema)MongodbCurated._SCHEMA), Does.Contain("mongodb.component").And.Contain("mongodb.attr"));
        Assert.That(EcsNames.Paths((RecordSchema)LaravelCurated._SCHEMA), Does.Contain("laravel.exception.class").And.Contain("laravel.channel"));
    }

    [Test]
    public void Paths_are_unique_and_only_the_renamed_segment_holds_an_at_sign()
    {
        foreach (var source in SchemaCatalog.Sources)
        {
            var paths = EcsNames.Paths((RecordSchema)source.CuratedSchema);
            Assert.That(paths, Is.Unique, source.Source);
            Assert.That(paths.Where(path => path.Contains('@', StringComparison.Ordinal)), Is.EqualTo(new[] { "@timestamp" }), source.Source);
        }
    }

    [Test]
    public void A_leaf_knows_the_fields_leading_to_it_and_whether_it_may_be_null()
    {
        var leaves = EcsNames.Leaves((RecordSchema)MysqlCurated._SCHEMA);

        var timestamp = leaves.Single(leaf => leaf.Path == "@timestamp");
        Assert.That(timestamp.IsNullable, Is.False);
        Assert.That(timestamp.Schema, Is.InstanceOf<LogicalSchema>());
        Assert.That(timestamp.Fields.Select(field => field.Name), Is.EqualTo(new[] { "timestamp" }));

        var lat = leaves.Single(leaf => leaf.Path == "source.geo.location.lat");
        Assert.That(lat.IsNullable, Is.True, "lat itself is required, but source, geo and location are optional");
        Assert.That(lat.Schema.Tag, Is.EqualTo(Schema.Type.Double));
        Assert.That(lat.Fields.Select(field => field.Name), Is.EqualTo(new[] { "source", "geo", "location", "lat" }));

        var labels = leaves.Single(leaf => leaf.Path == "labels");
        Assert.That(labels.Schema, Is.InstanceOf<MapSchema>());
    }

    [Test]
    public void The_ecs_attribute_renames_one_segment_anywhere_in_a_record()
    {
        var schema = (RecordSchema)Schema.Parse("""
            {"type": "record", "name": "Outer", "namespace": "Test", "fields": [
              {"name": "plain_name", "type": "string"},
              {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
                {"name": "at_version", "ecs": "@version", "type": ["null", "int"], "default": null}
              ]}}
            ]}
            """);

        Assert.That(EcsNames.Paths(schema), Is.EqualTo(new[] { "plain_name", "inner.@version" }));
    }

    [Test]
    public void An_ecs_attribute_holding_a_dot_is_refused()
    {
        var schema = (RecordSchema)Schema.Parse("""
            {"type": "record", "name": "Bad", "namespace": "Test", "fields": [
              {"name": "a", "ecs": "a.b", "type": "string"}
            ]}
            """);

        Assert.That(() => EcsNames.Paths(schema), Throws.InstanceOf<AvroException>().With.Message.Contains("without '.'"));
    }
}
