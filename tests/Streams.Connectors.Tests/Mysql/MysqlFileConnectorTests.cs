using Streams.Connectors.Framework;
using Streams.Connectors.Mysql;
using Streams.Connectors.Tests.Files;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;

namespace Streams.Connectors.Tests.Mysql;

[TestFixture]
public sealed class MysqlFileConnectorTests
{
    private const string Banner = "/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\nTcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\nTime\t\t    Id Command\tArgument\n";

    private LogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LogDirectory("mysql-");

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task Killed_at_random_points_while_mariadb_writes_every_entry_is_on_the_topic_once_with_its_time()
    {
        var file = _dir.File("general.log");
        LogDirectory.Append(file, Banner);
        await using var cluster = ConnectorCluster.Start(topic: "raw.mysql");
        var options = cluster.Options("mysql-file", batchSize: 10);
        var seed = Environment.TickCount;

        var outcome = await KillAndResume.Run(
            () => new SourceConnectorRunner<MysqlRaw, MysqlFileOffset>(options, new MysqlFileSourceTask(new MysqlFileOptions { GeneralPathGlob = file, IdleFlushTimeout = TimeSpan.FromMilliseconds(150) })),
            file,
            GeneralEntry,
            kills: 6,
            seed);

        var raw = cluster.ReadRaw<MysqlRaw>();
        var curation = new MysqlCuration(TimeZoneInfo.Utc);
        var times = raw.Select(r => curation.Curate(r.Value)).Select(o => o.Failure ?? o.EventTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.CommittedPerKilledRun, Has.Count.EqualTo(6).And.All.GreaterThan(0), $"seed {seed}: six runs killed, each after committing part of the log");
            Assert.That(raw.Select(r => r.Value.text), Is.EqualTo(outcome.Written), $"seed {seed}: every entry once, in order");
            Assert.That(times, Is.EqualTo(Enumerable.Range(0, outcome.Written.Count).Select(ExpectedTime)), $"seed {seed}: each entry's time, printed or inherited across restarts");
            Assert.That(raw.Count(r => r.Value.inherited_time is not null && !r.Value.text!.StartsWith("26", StringComparison.Ordinal)), Is.GreaterThan(outcome.Written.Count / 2));
        });
    }

    /// <summary>
    /// General log entries as MariaDB writes them: the time only on every fourth (when the second changes), a
    /// multi-line statement every seventh.
    /// </summary>
    private static string GeneralEntry(int i)
    {
        var prefix = i % 4 == 0 ? $"261126 {ExpectedTime(i)}\t" : "\t\t";
        var statement = i % 7 == 3 ? $"SELECT {i},\n  amount\nFROM expenses" : $"SELECT {i}";
        return $"{prefix}{i % 90 + 10,6} Query\t{statement}";
    }

    private static string ExpectedTime(int i) => $"{10 + (i / 4 / 3600):00}:{i / 4 / 60 % 60:00}:{i / 4 % 60:00}";
}
