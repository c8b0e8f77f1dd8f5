using NUnit.Framework;
using Streams.Topology.Normalising;

namespace Streams.Topology.Tests.Normalising;

public sealed class UrlPartsTests
{
    [Test]
    public void Path_and_query_are_kept_as_logged_not_unescaped_or_resolved()
    {
        var url = UrlParts.From("https://shop.example.com/a/../b%20c/?q=%2F&x=1#frag")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.scheme, Is.EqualTo("https"));
            Assert.That(url.domain, Is.EqualTo("shop.example.com"));
            Assert.That(url.port, Is.Null, "no port was written");
            Assert.That(url.path, Is.EqualTo("/a/../b%20c/"));
            Assert.That(url.query, Is.EqualTo("q=%2F&x=1"));
        }
    }

    [Test]
    public void Ipv6_host_loses_its_brackets_and_keeps_its_port()
    {
        var url = UrlParts.From("http://[2001:db8::1]:8080/x")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.domain, Is.EqualTo("2001:db8::1"));
            Assert.That(url.port, Is.EqualTo(8080));
            Assert.That(url.path, Is.EqualTo("/x"));
        }
    }

    [Test]
    public void Relative_target_gives_path_and_query_only()
    {
        var url = UrlParts.From("/search?q=1")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.path, Is.EqualTo("/search"));
            Assert.That(url.query, Is.EqualTo("q=1"));
            Assert.That(url.domain, Is.Null);
            Assert.That(url.scheme, Is.Null);
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("-")]
    public void Nothing_logged_gives_no_url(string? original) => Assert.That(UrlParts.From(original), Is.Null);

    [TestCase("http://")]
    [TestCase("http://:80/")]
    [TestCase("http://host:99999/")]
    [TestCase("ht tp://host/")]
    [TestCase("://x")]
    [TestCase("http://[::1/")]
    [TestCase("http://host/\u0000?\uFFFF")]
    [TestCase("http://\u0794qg\u07ec.com/x?y=1")] // a host System.Uri accepts but whose IDN form it refuses (UriFormatException)
    public void Broken_urls_never_throw_and_keep_their_original(string original)
    {
        var url = UrlParts.From(original);
        Assert.That(url?.original, Is.EqualTo(original));
    }

    [TestCase("HTTP/1.1", "1.1")]
    [TestCase("HTTP/2.0", "2.0")]
    [TestCase("-", null)]
    [TestCase(null, null)]
    public void Http_protocol_gives_its_version(string? protocol, string? version) =>
        Assert.That(ProtocolVersions.Http(protocol), Is.EqualTo(version));

    [TestCase("TLSv1.2", "1.2", "tls")]
    [TestCase("tlsv12", "1.2", "tls")]
    [TestCase("tlsv13", "1.3", "tls")]
    [TestCase("TLSv1", "1.0", "tls")]
    [TestCase("SSLv3", "3.0", "ssl")]
    [TestCase("QUIC", null, null)]
    [TestCase(null, null, null)]
    public void Tls_protocol_gives_version_and_protocol_name(string? protocol, string? version, string? name) =>
        Assert.That(ProtocolVersions.Tls(protocol), Is.EqualTo((version, name)));
}
