using NUnit.Framework;
using Streams.Runtime;
using Streams.Topology.Curation;

namespace Streams.Topology.Tests.Curation;

[TestFixture]
public sealed class CurationHostTests
{
    private static Dictionary<string, string> Minimal() => new()
    {
        ["bootstrap.servers"] = "localhost:9092",
        ["schema.registry.url"] = "mock://host-test",
        ["state.dir"] = Path.Combine(Path.GetTempPath(), "host-" + Guid.NewGuid().ToString("N")),
    };

    [TestCase("schema.registry.url", null)]
    [TestCase("curation.sources", "elb,nginx")]
    [TestCase("curation.timezone", "Mars/Olympus")]
    [TestCase("curation.dedup.retention.ms", "-1")]
    [TestCase("geoip.city.path", "/nonexistent/GeoIP2-City.mmdb")]
    [TestCase("processing.guarantee", "maybe")]
    public void A_bad_setting_fails_at_start_naming_the_key(string key, string? value)
    {
        var p = Minimal();
        if (value is null)
        {
            p.Remove(key);
        }
        else
        {
            p[key] = value;
        }

        var ex = Assert.Throws<StreamsConfigException>(() => CurationHost.FromProperties(p));
        Assert.That(ex!.Key, Is.EqualTo(key));
    }

    [Test]
    public async Task Defaults_are_exactly_once_with_the_topology_dead_letter_topic_and_all_four_sources()
    {
        await using var host = CurationHost.FromProperties(Minimal());
        Assert.That(host.Options.Sources, Is.EquivalentTo(CurationTopology.AllSources));
        Assert.That(host.Streams.Topology.SourceTopics, Is.EquivalentTo(new[] { "raw.mysql", "raw.mongodb", "raw.laravel", "raw.elb" }));
        Assert.That(host.Streams.Topology.SinkTopics, Is.EquivalentTo(new[] { "curated.mysql", "curated.mongodb", "curated.laravel", "curated.elb" }));
        Assert.That(host.Options.DeadLetterTopic, Is.EqualTo("dlq.topology"));
    }
}
