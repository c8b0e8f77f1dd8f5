using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Connectors.Mongodb;
using Streams.Connectors.Tests.Files;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Mongodb;

[TestFixture]
public sealed class MongodbFileConnectorTests
{
    private LogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LogDirectory("mongod-");

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task Killed_at_random_points_while_mongod_writes_every_line_is_on_the_topic_once()
    {
        await using var cluster = ConnectorCluster.Start(topic: "raw.mongodb");
        var options = cluster.Options("mongodb-file", batchSize: 10);
        var seed = Environment.TickCount;

        var outcome = await KillAndResume.Run(
            () => new SourceConnectorRunner<MongodbRaw, FileOffset>(options, new MongodbFileSourceTask(new MongodbFileOptions { PathGlob = _dir.File("mongod.log"), IdleFlushTimeout = TimeSpan.FromMilliseconds(150) })),
            _dir.File("mongod.log"),
            i => MongodbFileSourceTaskTests.LineList("k", i, 1)[0],
            kills: 6,
            seed);

        var raw = cluster.ReadRaw<MongodbRaw>();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.CommittedPerKilledRun, Has.Count.EqualTo(6).And.All.GreaterThan(0), $"seed {seed}: six runs killed, each after committing part of the log");
            Assert.That(raw.Select(r => r.Value.text), Is.EqualTo(outcome.Written), $"seed {seed}: every line once, in order");
            Assert.That(outcome.Written, Has.Count.GreaterThan(outcome.CommittedPerKilledRun[0]), "the log grew after the first kill");
        });
    }
}
