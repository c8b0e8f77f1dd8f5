using System.Net;
using NUnit.Framework;
using Streams.Topology.Geo;

namespace Streams.Topology.Tests.Geo;

[TestFixture]
public sealed class GeoIpEnricherTests
{
    private GeoIpEnricher _enricher = null!;

    [SetUp]
    public void Open() => _enricher = GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = TestDatabases.City, AsnDatabasePath = TestDatabases.Asn });

    [TearDown]
    public void Close() => _enricher.Dispose();

    [Test]
    public void IPv4_address_gets_its_city_country_region_location_and_timezone()
    {
        Assert.That(
            _enricher.Lookup("81.2.69.160"),
            Is.EqualTo(new GeoLocation("GB", "United Kingdom", "England", "London", 51.5142, -0.0931, "Europe/London", null, null)));
    }

    [Test]
    public void Address_in_both_databases_gets_city_and_autonomous_system()
    {
        Assert.That(
            _enricher.Lookup("89.160.20.115"),
            Is.EqualTo(new GeoLocation("SE", "Sweden", "Östergötland County", "Linköping", 58.4167, 15.6167, "Europe/Stockholm", 29518, "Bredband2 AB")));
    }

    [Test]
    public void Address_only_in_the_asn_database_gets_only_the_autonomous_system()
    {
        Assert.That(
            _enricher.Lookup("1.128.0.1"),
            Is.EqualTo(new GeoLocation(null, null, null, null, null, null, null, 1221, "Telstra Pty Ltd")));
    }

    [Test]
    public void IPv6_address_is_placed_and_the_region_is_the_first_subdivision()
    {
        var location = _enricher.Lookup("2001:db8:1::42");
        Assert.Multiple(() =>
        {
            Assert.That(location?.CountryIsoCode, Is.EqualTo("DE"));
            Assert.That(location?.CountryName, Is.EqualTo("Germany"));
            Assert.That(location?.RegionName, Is.EqualTo("Land Berlin"));
            Assert.That(location?.CityName, Is.EqualTo("Berlin"));
            Assert.That(location?.Timezone, Is.EqualTo("Europe/Berlin"));
        });
    }

    [TestCase("[2600:6000::1]")]
    [TestCase("2600:6000:0:0:0:0:0:1")]
    public void IPv6_address_in_the_asn_database_gets_its_autonomous_system(string address)
    {
        var location = _enricher.Lookup(address);
        Assert.That((location?.AsNumber, location?.AsOrganization), Is.EqualTo(((long?)237, "Merit Network Inc.")));
    }

    [Test]
    public void IPv4_mapped_IPv6_address_is_looked_up_as_IPv4()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_enricher.Lookup("::ffff:81.2.69.160")?.CityName, Is.EqualTo("London"));
            Assert.That(_enricher.Lookup(IPAddress.Parse("81.2.69.160").MapToIPv6())?.CityName, Is.EqualTo("London"));
        });
    }

    [Test]
    public void Country_only_record_has_no_city_region_or_location()
    {
        Assert.That(_enricher.Lookup("67.43.156.1"), Is.EqualTo(new GeoLocation("BT", "Bhutan", null, null, null, null, null, null, null)));
    }

    [TestCase("10.0.0.1")]
    [TestCase("172.16.5.4")]
    [TestCase("192.168.1.1")]
    [TestCase("100.64.0.1")]
    [TestCase("127.0.0.1")]
    [TestCase("169.254.169.254")]
    [TestCase("224.0.0.251")]
    [TestCase("255.255.255.255")]
    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fe80::1%2")]
    [TestCase("fd00::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("::ffff:127.0.0.1")]
    public void Non_routable_address_is_skipped(string address)
    {
        Assert.Multiple(() =>
        {
            Assert.That(_enricher.Lookup(address), Is.Null);
            Assert.That(_enricher.CacheMisses, Is.Zero, "skipped before the cache and the databases");
        });
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("-")]
    [TestCase("not an address")]
    [TestCase("81.2")]
    [TestCase("81.2.69.999")]
    [TestCase("81.2.69.160:443")]
    [TestCase("2001:db8:::1")]
    [TestCase(null)]
    public void Unparsable_address_gives_null(string? address) =>
        Assert.That(_enricher.Lookup(address), Is.Null);

    [Test]
    public void Routable_address_in_no_database_gives_null() =>
        Assert.That(_enricher.Lookup("8.8.8.8"), Is.Null);

    [Test]
    public void Repeated_lookups_are_served_from_the_cache_including_misses()
    {
        _enricher.Lookup("81.2.69.160");
        _enricher.Lookup("81.2.69.160");
        _enricher.Lookup("8.8.8.8");
        _enricher.Lookup("8.8.8.8");
        _enricher.Lookup("::ffff:81.2.69.160");
        Assert.Multiple(() =>
        {
            Assert.That(_enricher.CacheMisses, Is.EqualTo(2));
            Assert.That(_enricher.CacheHits, Is.EqualTo(3));
            Assert.That(_enricher.CacheCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void Enricher_with_databases_says_it_is_enabled_and_names_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_enricher.IsEnabled, Is.True);
            Assert.That(_enricher.Description, Does.StartWith("GeoIP enabled: city=GeoIP2-City built ").And.Contain("asn=GeoLite2-ASN built ").And.EndWith("cache=10000"));
        });
    }

    [Test]
    public void City_database_alone_still_places_addresses()
    {
        using var cityOnly = GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = TestDatabases.City, CacheSize = 0 });
        Assert.Multiple(() =>
        {
            Assert.That(cityOnly.Lookup("89.160.20.115"), Is.EqualTo(new GeoLocation("SE", "Sweden", "Östergötland County", "Linköping", 58.4167, 15.6167, "Europe/Stockholm", null, null)));
            Assert.That(cityOnly.Lookup("1.128.0.1"), Is.Null);
            Assert.That(cityOnly.Description, Does.Contain("asn=off"));
            Assert.That(cityOnly.CacheCount, Is.Zero);
        });
    }

    [Test]
    public void Without_databases_the_enricher_is_disabled_and_finds_nothing()
    {
        var disabled = GeoIpEnricher.Open(new GeoIpOptions());
        Assert.Multiple(() =>
        {
            Assert.That(disabled, Is.SameAs(GeoIpEnricher.Disabled));
            Assert.That(disabled.IsEnabled, Is.False);
            Assert.That(disabled.Description, Is.EqualTo("GeoIP disabled: no City or ASN database configured"));
            Assert.That(disabled.Lookup("81.2.69.160"), Is.Null);
            Assert.That(disabled.Lookup(IPAddress.Parse("81.2.69.160")), Is.Null);
        });
    }

    [Test]
    public void Configured_database_that_does_not_exist_fails_at_open()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = "/nonexistent/GeoIP2-City.mmdb" }));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/GeoIP2-City.mmdb"));
    }

    [Test]
    public void Databases_given_the_wrong_way_round_fail_at_open()
    {
        var ex = Assert.Throws<InvalidDataException>(() => GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = TestDatabases.Asn }));
        Assert.That(ex!.Message, Does.Contain("GeoLite2-ASN database, not a City one"));
    }

    [Test]
    public void Lookup_agrees_with_libmaxminddb_mmdblookup()
    {
        var (exit, output) = TestDatabases.Run("mmdblookup", "--file", TestDatabases.City, "--ip", "89.160.20.115", "city", "names", "en");
        if (exit == -1)
        {
            Assert.Ignore("mmdblookup (package mmdb-bin) is not installed: " + output);
        }

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("\"Linköping\" <utf8_string>"));
            Assert.That(_enricher.Lookup("89.160.20.115")?.CityName, Is.EqualTo("Linköping"));
        });
    }
}
