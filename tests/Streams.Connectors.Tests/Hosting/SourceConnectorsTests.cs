using Streams.Connectors.Hosting;
using Streams.Connectors.Tests.Framework;
using Streams.Connectors.Tests.Laravel;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Hosting;

[TestFixture]
public sealed class SourceConnectorsTests
{
    private static Dictionary<string, string> Valid(string glob) => new()
    {
        ["bootstrap.servers"] = "localhost:9092",
        ["schema.registry.url"] = "mock://hosting",
        ["laravel.path"] = glob,
    };

    [TestCase("connector.type", "oracle", "'oracle' is not a connector type; one of: mysql, mongodb, laravel, elb")]
    [TestCase("batch.size", "0", "'0' must be a whole number between 1 and 100000")]
    [TestCase("poll.interval.ms", "soon", "'soon' must be a whole number of milliseconds between 1 and 300000")]
    [TestCase("laravel.path", "logs/laravel.log", "must be an absolute path such as /var/log/app/laravel*.log")]
    [TestCase("schema.registry.basic.auth.user.info", "secret", "must be USER:PASSWORD")]
    [TestCase("laravel.idle.flush.ms", "-5", "'-5' must be a whole number of milliseconds between 1 and 600000")]
    public void A_wrong_setting_fails_at_start_naming_its_key(string key, string value, string problem)
    {
        var properties = Valid("/var/log/app/laravel*.log");
        properties[key] = value;

        var error = Assert.Throws<StreamsConfigException>(() => SourceConnectors.Create("laravel", properties));

        Assert.That(error!.Key, Is.EqualTo(key));
        Assert.That(error.Message, Is.EqualTo($"configuration '{key}' {problem}"));
    }

    [TestCase("bootstrap.servers")]
    [TestCase("schema.registry.url")]
    [TestCase("laravel.path")]
    public void A_missing_required_setting_is_named(string key)
    {
        var properties = Valid("/var/log/app/laravel*.log");
        properties.Remove(key);

        var error = Assert.Throws<StreamsConfigException>(() => SourceConnectors.Create("laravel", properties));

        Assert.That(error!.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.StartWith($"configuration '{key}' is required"));
    }

    [Test]
    public async Task A_configured_connector_writes_its_raw_topic_under_its_own_name()
    {
        using var dir = new LaravelLogDirectory();
        var entries = LaravelLogDirectory.NumberedEntries(30);
        LaravelLogDirectory.Append(dir.LogFile, entries);
        await using var cluster = ConnectorCluster.Start();
        var properties = Valid(dir.Glob);
        properties["bootstrap.servers"] = cluster.Kafka.BootstrapServers;
        properties["schema.registry.url"] = cluster.Registry.Url;
        properties["connector.type"] = "laravel";
        properties["laravel.idle.flush.ms"] = "50";
        properties["poll.interval.ms"] = "20";

        await using (var connector = SourceConnectors.Create("billing-api", properties))
        {
            Assert.That((connector.Name, connector.Type, connector.Topic), Is.EqualTo(("billing-api", "laravel", "raw.laravel")));
            connector.Start();
            await Eventually.Until(() => connector.CommittedRecords == entries.Count, TimeSpan.FromSeconds(20), "every entry committed");
            await connector.StopAsync(CancellationToken.None);
        }

        Assert.That(cluster.ReadRaw<LaravelRaw>().Select(r => r.Value.text), Is.EqualTo(entries));
    }
}
