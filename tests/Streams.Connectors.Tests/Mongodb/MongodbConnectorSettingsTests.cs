using Streams.Connectors.Hosting;
using Streams.Connectors.Tests.Files;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Mongodb;

[TestFixture]
public sealed class MongodbConnectorSettingsTests
{
    [TestCase("mongodb.mode", "oplog")]
    [TestCase("mongodb.file.path", "mongod.log")]
    [TestCase("mongodb.file.read.chunk.bytes", "1")]
    public void A_wrong_file_mode_setting_fails_naming_its_key(string key, string value)
    {
        var properties = Properties("/var/log/mongodb/mongod.log*");
        properties[key] = value;

        Assert.That(() => SourceConnectors.Create("mongodb", properties), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo(key));
    }

    [TestCase("mongodb.collection.uri")]
    [TestCase("mongodb.collection.database")]
    [TestCase("mongodb.collection.name")]
    public void Collection_mode_requires_its_collection(string key)
    {
        var properties = Properties("/unused/*.log");
        properties["mongodb.mode"] = "collection";
        properties["mongodb.collection.uri"] = "mongodb://db-1:27017";
        properties["mongodb.collection.database"] = "app";
        properties["mongodb.collection.name"] = "logs";
        properties.Remove(key);

        Assert.That(() => SourceConnectors.Create("mongodb", properties), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo(key));
    }

    [Test]
    public async Task A_mongodb_file_connector_built_from_settings_writes_raw_mongodb()
    {
        using var dir = new LogDirectory("mongod-");
        var lines = MongodbFileSourceTaskTests.LineList("s", 0, 12);
        LogDirectory.Append(dir.File("mongod.log"), string.Join('\n', lines) + "\n");
        await using var cluster = ConnectorCluster.Start(topic: "raw.mongodb");
        var properties = Properties(dir.File("mongod.log*"));
        properties["bootstrap.servers"] = cluster.Kafka.BootstrapServers;
        properties["schema.registry.url"] = cluster.Registry.Url;
        properties["poll.interval.ms"] = "20";

        await using (var connector = SourceConnectors.Create("mongodb", properties))
        {
            Assert.That((connector.Type, connector.Topic), Is.EqualTo(("mongodb", "raw.mongodb")));
            connector.Start();
            await Eventually.Until(() => connector.CommittedRecords == lines.Length, TimeSpan.FromSeconds(20), "every line committed");
            await connector.StopAsync(CancellationToken.None);
        }

        Assert.That(cluster.ReadRaw<MongodbRaw>().Select(r => r.Value.text), Is.EqualTo(lines));
    }

    private static Dictionary<string, string> Properties(string glob) => new()
    {
        ["bootstrap.servers"] = "localhost:9092",
        ["schema.registry.url"] = "mock://mongodb-settings",
        ["mongodb.file.path"] = glob,
    };
}
