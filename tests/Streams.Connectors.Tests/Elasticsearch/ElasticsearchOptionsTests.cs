using Streams.Connectors.Elasticsearch;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class ElasticsearchOptionsTests
{
    [Test]
    public void Defaults_follow_the_documented_bulk_sizes()
    {
        var options = ElasticsearchOptions.FromProperties(new Dictionary<string, string>());
        Assert.Multiple(() =>
        {
            Assert.That(options.BulkMaxDocs, Is.EqualTo(2000));
            Assert.That(options.BulkMaxBytes, Is.EqualTo(5 * 1024 * 1024));
            Assert.That(options.BulkLinger, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
            Assert.That(options.IndexPrefix, Is.EqualTo("curated"));
            Assert.That(options.NumberOfShards, Is.EqualTo(1));
        });
    }

    [Test]
    public void Properties_are_read_under_their_keys()
    {
        var options = ElasticsearchOptions.FromProperties(new Dictionary<string, string>
        {
            [ElasticsearchOptions.UrlsKey] = "https://es1:9200, https://es2:9200",
            [ElasticsearchOptions.ApiKeyKey] = "key",
            [ElasticsearchOptions.BulkMaxDocsKey] = "500",
            [ElasticsearchOptions.IlmDeleteAfterDaysKey] = "14",
        });
        Assert.Multiple(() =>
        {
            Assert.That(options.Urls.Select(u => u.Host), Is.EqualTo(new[] { "es1", "es2" }));
            Assert.That(options.ApiKey, Is.EqualTo("key"));
            Assert.That(options.BulkMaxDocs, Is.EqualTo(500));
            Assert.That(options.IlmDeleteAfterDays, Is.EqualTo(14));
        });
    }

    [TestCase(ElasticsearchOptions.BulkMaxDocsKey, "0")]
    [TestCase(ElasticsearchOptions.BulkLingerKey, "soon")]
    [TestCase(ElasticsearchOptions.UrlsKey, "es:9200")]
    [TestCase(ElasticsearchOptions.IndexPrefixKey, "Curated")]
    [TestCase(ElasticsearchOptions.CaCertificatePathKey, "/nonexistent/ca.pem")]
    [TestCase(ElasticsearchOptions.UsernameKey, "elastic")]
    public void A_bad_value_is_reported_under_its_key(string key, string value)
    {
        var error = Assert.Throws<StreamsConfigException>(() => ElasticsearchOptions.FromProperties(new Dictionary<string, string> { [key] = value }));
        Assert.That(error!.Message, Does.Contain(key == ElasticsearchOptions.UsernameKey ? ElasticsearchOptions.PasswordKey : key));
    }

    [Test]
    public void An_api_key_and_a_password_together_are_refused()
    {
        var error = Assert.Throws<StreamsConfigException>(() => ElasticsearchOptions.FromProperties(new Dictionary<string, string>
        {
            [ElasticsearchOptions.ApiKeyKey] = "key",
            [ElasticsearchOptions.UsernameKey] = "elastic",
            [ElasticsearchOptions.PasswordKey] = "changeme",
        }));
        Assert.That(error!.Key, Is.EqualTo(ElasticsearchOptions.ApiKeyKey));
    }

    [Test]
    public void Sink_settings_are_read_under_their_keys_and_errors_name_the_key()
    {
        var options = ElasticsearchSinkOptions.FromProperties(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "kafka:9092",
            [ElasticsearchSinkOptions.TopicsKey] = "curated.nginx, curated.mysql-slow",
            [ElasticsearchSinkOptions.CommitIntervalKey] = "250",
            ["consumer.session.timeout.ms"] = "10000",
        });
        var error = Assert.Throws<StreamsConfigException>(() => ElasticsearchSinkOptions.FromProperties(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "kafka:9092",
            [ElasticsearchSinkOptions.TopicsKey] = "curated.nginx,dlq.sink",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(options.Topics, Is.EqualTo(new[] { "curated.nginx", "curated.mysql-slow" }));
            Assert.That(options.CommitInterval, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.DeadLetterTopic, Is.EqualTo("dlq.sink"));
            Assert.That(options.ClientSettings["consumer.session.timeout.ms"], Is.EqualTo("10000"));
            Assert.That(error!.Key, Is.EqualTo(ElasticsearchSinkOptions.DeadLetterTopicKey));
        });
    }

    [Test]
    public void Backoff_grows_exponentially_with_jitter_up_to_the_maximum()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(backoff.DelayFor(0), Is.InRange(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)));
            Assert.That(backoff.DelayFor(2), Is.InRange(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)));
            Assert.That(backoff.DelayFor(50), Is.InRange(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)));
        });
    }
}
