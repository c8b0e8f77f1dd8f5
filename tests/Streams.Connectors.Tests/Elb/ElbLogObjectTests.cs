using System.Text;
using Streams.Connectors.Elb;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Elb;

[TestFixture]
public sealed class ElbLogObjectTests
{
    [TestCase("", ElbKind.Application, true)]
    [TestCase("", ElbKind.Network, true)]
    [TestCase("", ElbKind.Classic, false)]
    [TestCase("prod/edge", ElbKind.Application, true)]
    [TestCase("prod/edge", ElbKind.Classic, false)]
    public void The_three_load_balancer_layouts_are_recognised(string prefix, ElbKind kind, bool compressed)
    {
        var key = ElbLogs.Key(prefix, "eu-west-1", kind, 24 * 60 + 5);

        var parsed = ElbLogObject.TryParse(key);

        Assert.That(parsed, Is.Not.Null, key);
        Assert.Multiple(() =>
        {
            Assert.That(parsed!.Kind, Is.EqualTo(kind));
            Assert.That(parsed.Account, Is.EqualTo(ElbLogs.Account));
            Assert.That(parsed.Region, Is.EqualTo("eu-west-1"));
            Assert.That(parsed.Date, Is.EqualTo(new DateOnly(2026, 11, 27)));
            Assert.That(parsed.Compressed, Is.EqualTo(compressed));
            Assert.That(key, Does.StartWith(ElbLogs.Folder(prefix, "eu-west-1")));
        });
    }

    [TestCase("AWSLogs/123456789012/ELBAccessLogTestFile")]
    [TestCase("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/26/notes.txt")]
    [TestCase("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/26/123456789012_elasticloadbalancing_eu-west-1_app.a.b_20261126T0005Z_10.0.0.1_x.log.gz.part-1")]
    [TestCase("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/26/999999999999_elasticloadbalancing_eu-west-1_app.a.b_20261126T0005Z_10.0.0.1_x.log.gz")]
    [TestCase("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/13/26/123456789012_elasticloadbalancing_eu-west-1_app.a.b_20261126T0005Z_10.0.0.1_x.log.gz")]
    public void Other_objects_are_not_log_objects(string key) => Assert.That(ElbLogObject.TryParse(key), Is.Null);

    [Test]
    public void Account_folders_have_twelve_digits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ElbLogObject.IsAccountFolder("p/AWSLogs/123456789012/"), Is.True);
            Assert.That(ElbLogObject.IsAccountFolder("AWSLogs/aws-account-id/"), Is.False);
        });
    }

    [Test]
    public void Options_are_read_from_properties()
    {
        var options = ElbSourceOptions.FromProperties(new Dictionary<string, string>
        {
            ["elb.source"] = "s3",
            ["s3.bucket"] = "logs",
            ["s3.prefix"] = "/prod/",
            ["s3.region"] = "eu-west-1",
            ["s3.service.url"] = "http://127.0.0.1:9000",
            ["poll.interval.ms"] = "500",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.PrefixFolder, Is.EqualTo("prod/"));
            Assert.That(options.PollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(S3ObjectStoreConfig(options).ForcePathStyle, Is.True);
            Assert.That(S3ObjectStoreConfig(options).ServiceURL, Does.StartWith("http://127.0.0.1:9000"));
            Assert.That(S3ObjectStoreConfig(options with { ServiceUrl = null }).RegionEndpoint, Is.EqualTo(Amazon.RegionEndpoint.EUWest1));
        });
    }

    [TestCase("elb.source", "ftp")]
    [TestCase("s3.bucket", "")]
    [TestCase("s3.bucket", "a/b")]
    [TestCase("s3.prefix", "x/AWSLogs/")]
    [TestCase("s3.service.url", "not a url")]
    [TestCase("s3.list.max.keys", "5000")]
    [TestCase("poll.interval.ms", "0")]
    [TestCase("poll.interval.ms", "soon")]
    [TestCase("elb.dlq.max.bytes", "-1")]
    public void Bad_settings_fail_naming_the_key(string key, string value)
    {
        var properties = new Dictionary<string, string> { ["elb.source"] = "s3", ["s3.bucket"] = "logs", [key] = value };

        var ex = Assert.Throws<StreamsConfigException>(() => ElbSourceOptions.FromProperties(properties));

        Assert.That(ex!.Key, Is.EqualTo(key));
    }

    [Test]
    public void Directory_mode_needs_an_absolute_directory()
    {
        var ex = Assert.Throws<StreamsConfigException>(() => ElbSourceOptions.FromProperties(new Dictionary<string, string> { ["elb.source"] = "directory", ["elb.directory"] = "logs" }));
        Assert.That(ex!.Key, Is.EqualTo("elb.directory"));
    }

    private static Amazon.S3.AmazonS3Config S3ObjectStoreConfig(ElbSourceOptions options) => S3ObjectStore.ClientConfig(options);
}

[TestFixture]
public sealed class GzipTrailerCheckTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i} of an access log {i * 7919 % 1000}\n")));

    [Test]
    public async Task An_intact_object_reads_whole() => Assert.That(await ReadAsync(ElbLogs.Gzip(Text)), Is.EqualTo(Text));

    [TestCase(10)]
    [TestCase(2)]
    [TestCase(0.5)]
    [TestCase(0.99)]
    public async Task A_truncated_object_is_damaged(double keep)
    {
        var gzip = ElbLogs.Gzip(Text);
        var length = keep >= 1 ? gzip.Length - (int)keep : (int)(gzip.Length * keep);

        await Assert.ThatAsync(() => ReadAsync(gzip[..length]), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public async Task A_wrong_length_is_damage()
    {
        var gzip = ElbLogs.Gzip(Text);
        gzip[^3] ^= 0x5a;

        await Assert.ThatAsync(() => ReadAsync(gzip), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public async Task A_wrong_crc_is_damage()
    {
        var gzip = ElbLogs.Gzip(Text);
        gzip[^7] ^= 0x5a;

        await Assert.ThatAsync(() => ReadAsync(gzip), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public async Task A_bad_header_is_damage() =>
        await Assert.ThatAsync(() => ReadAsync(Text), Throws.TypeOf<InvalidDataException>());

    [Test]
    public async Task An_empty_object_is_not_gzip() =>
        await Assert.ThatAsync(() => ReadAsync([]), Throws.TypeOf<InvalidDataException>().With.Message.Contains("not a gzip stream"));

    private static async Task<byte[]> ReadAsync(byte[] gzip)
    {
        await using var check = new GzipTrailerCheck(new MemoryStream(gzip));
        using var output = new MemoryStream();
        await check.CopyToAsync(output, 1000);
        return output.ToArray();
    }
}
