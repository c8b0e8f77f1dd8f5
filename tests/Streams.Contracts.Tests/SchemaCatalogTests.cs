using Avro;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;

namespace Streams.Contracts.Tests;

[TestFixture]
public sealed class SchemaCatalogTests
{
    [Test]
    public void Each_source_has_topics_and_TopicNameStrategy_subjects()
    {
        Assert.That(SchemaCatalog.Sources.Select(source => source.Source), Is.EqualTo(new[] { "mysql", "mongodb", "laravel", "elb" }));

        var mysql = SchemaCatalog.For("mysql");
        Assert.That(mysql.RawTopic, Is.EqualTo("raw.mysql"));
        Assert.That(mysql.CuratedTopic, Is.EqualTo("curated.mysql"));
        Assert.That(mysql.RawSubject, Is.EqualTo("raw.mysql-value"));
        Assert.That(mysql.CuratedSubject, Is.EqualTo("curated.mysql-value"));
    }

    [Test]
    public void Schemas_come_from_the_generated_types()
    {
        Assert.That(SchemaCatalog.RawSchema("elb"), Is.SameAs(ElbRaw._SCHEMA));
        Assert.That(SchemaCatalog.CuratedSchema("elb"), Is.SameAs(ElbCurated._SCHEMA));
        foreach (var source in SchemaCatalog.Sources)
        {
            Assert.That(((RecordSchema)source.RawSchema).Fullname, Is.EqualTo(source.RawType.FullName));
            Assert.That(((RecordSchema)source.CuratedSchema).Fullname, Is.EqualTo(source.CuratedType.FullName));
            Assert.That(source.RawType.Namespace, Is.EqualTo("Streams.Contracts.Raw"));
            Assert.That(source.CuratedType.Namespace, Is.EqualTo("Streams.Contracts.Curated"));
        }
    }

    [Test]
    public void An_unknown_source_is_refused_with_the_known_ones()
    {
        Assert.That(() => SchemaCatalog.For("postgres"), Throws.ArgumentException.With.Message.Contains("mysql, mongodb, laravel, elb"));
    }
}
