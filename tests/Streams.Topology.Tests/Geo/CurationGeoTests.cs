using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Curation;
using Streams.Topology.Geo;
using Streams.Topology.Tests.Curation;

namespace Streams.Topology.Tests.Geo;

/// <summary>GeoIP through the curation topology, on databases built by MaxMind's writer (see TestDatabases).</summary>
[TestFixture]
public sealed class CurationGeoTests
{
    private static string AlbLine(string client) =>
        $"http 2024-03-01T10:00:00.000000Z app/lb/1 {client}:5555 10.0.0.1:80 0.001 0.002 0.000 200 200 10 20 \"GET http://shop.example.com:80/ HTTP/1.1\" \"curl/8\" - - arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1 \"Root=1-abc\" \"-\" \"-\" 0 2024-03-01T10:00:00.000000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"\n";

    [Test]
    public void Client_addresses_get_source_geo_and_as_and_private_ones_are_left_alone()
    {
        using var geo = GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = TestDatabases.City, AsnDatabasePath = TestDatabases.Asn });
        using var h = new CurationHarness(new CurationOptions { Geo = geo });
        h.PipeText("elb", AlbLine("81.2.69.160") + AlbLine("1.128.0.5") + AlbLine("10.1.2.3"));

        var docs = h.Documents<ElbCurated>("elb").Select(d => d.Source.GetProperty("source")).ToList();
        Assert.That(docs, Has.Count.EqualTo(3));
        var london = docs.Single(s => s.GetProperty("ip").GetString() == "81.2.69.160").GetProperty("geo");
        Assert.Multiple(() =>
        {
            Assert.That(london.GetProperty("city_name").GetString(), Is.EqualTo("London"));
            Assert.That(london.GetProperty("country_iso_code").GetString(), Is.EqualTo("GB"));
            Assert.That(london.GetProperty("location").GetProperty("lat").GetDouble(), Is.EqualTo(51.5142).Within(1e-4));
            Assert.That(london.GetProperty("location").GetProperty("lon").GetDouble(), Is.EqualTo(-0.0931).Within(1e-4));
        });
        var telstra = docs.Single(s => s.GetProperty("ip").GetString() == "1.128.0.5").GetProperty("as");
        Assert.That(telstra.GetProperty("number").GetInt64(), Is.EqualTo(1221));
        Assert.That(telstra.GetProperty("organization").GetProperty("name").GetString(), Is.EqualTo("Telstra Pty Ltd"));
        var privateClient = docs.Single(s => s.GetProperty("ip").GetString() == "10.1.2.3");
        Assert.That(privateClient.TryGetProperty("geo", out _) || privateClient.TryGetProperty("as", out _), Is.False);
        Assert.That((h.Metrics.GeoLookups["elb"], h.Metrics.GeoHits["elb"]), Is.EqualTo((3L, 2L)));
    }
}
