using Streams.Connectors.Mysql;
using Streams.Connectors.Tests.Files;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Topology.Curation;
using Streams.Topology.Mysql;

namespace Streams.Connectors.Tests.Mysql;

[TestFixture]
public sealed class MysqlFileSourceTaskTests
{
    private static readonly MysqlCuration Curation = new(TimeZoneInfo.Utc);
    private LogDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new LogDirectory("mysql-");

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private string GeneralLog => _dir.File("general.log");

    private string SlowLog => _dir.File("slow.log");

    [TestCase("mysql-slowlog-mariadb-10.11.log")]
    [TestCase("mysql-slowlog-mariadb-10.3.log")]
    [TestCase("mysql-slowlog-8.0.log")]
    public async Task Real_logs_are_cut_as_the_topology_cuts_them_and_every_entry_curates(string slowCorpus)
    {
        var general = LogDirectory.Corpus("mysql-general-mariadb-10.11.log");
        var slow = LogDirectory.Corpus(slowCorpus);
        var expectedGeneral = MysqlGeneralLogFileParser.SplitEntries(general).Select(e => (e.Text, e.InheritedTime)).ToList();
        var expectedSlow = MysqlSlowLogFileParser.SplitEntries(slow).Select(e => (e.Text, e.InheritedTime)).ToList();
        LogDirectory.Append(GeneralLog, general);
        LogDirectory.Append(SlowLog, slow);
        await using var task = await Started(both: true);

        var records = await TaskPolling.Until(task, expectedGeneral.Count + expectedSlow.Count);

        Assert.Multiple(() =>
        {
            Assert.That(records.Where(r => r.Value.kind == MysqlRawKind.GENERAL_FILE).Select(r => (r.Value.text, r.Value.inherited_time)), Is.EqualTo(expectedGeneral));
            Assert.That(records.Where(r => r.Value.kind == MysqlRawKind.SLOW_FILE).Select(r => (r.Value.text, r.Value.inherited_time)), Is.EqualTo(expectedSlow));
            Assert.That(records.Where(r => r.Value.kind == MysqlRawKind.SLOW_FILE).Select(r => r.Key).Distinct(), Is.EqualTo(new[] { "db-1:" + SlowLog }));
            Assert.That(records.Select(r => Curation.Curate(r.Value).Failure), Is.All.Null);
            Assert.That(expectedGeneral.Count(e => e.InheritedTime is not null), Is.GreaterThan(10), "the sample leaves the time out on most lines");
        });
    }

    [Test]
    public async Task The_inherited_time_survives_a_restart_because_the_offset_carries_it()
    {
        LogDirectory.Append(GeneralLog, LogDirectory.Corpus("mysql-general-mariadb-10.11.log"));
        await using var task = await Started();
        var all = await TaskPolling.Until(task, 25);
        var timed = all.FindIndex(r => r.Value.text!.StartsWith("261122 16:13:34\t", StringComparison.Ordinal));

        await task.StartAsync(new Dictionary<string, MysqlFileOffset> { [all[timed].SourcePartition] = all[timed].SourceOffset }, CancellationToken.None);
        var rest = await TaskPolling.Until(task, all.Count - timed - 1);

        Assert.Multiple(() =>
        {
            Assert.That(all[timed].SourceOffset.LastTime, Is.EqualTo("261122 16:13:34"));
            Assert.That(all[timed].Value.offset, Does.Contain("\"lastTime\":\"261122 16:13:34\""));
            Assert.That(rest[0].Value.inherited_time, Is.EqualTo("261122 16:13:34"), "the next line prints no time of its own");
            Assert.That(rest.Select(r => (r.Value.text, r.Value.inherited_time)), Is.EqualTo(all.Skip(timed + 1).Select(r => (r.Value.text, r.Value.inherited_time))));
        });
    }

    [Test]
    public async Task A_slow_entry_whose_last_line_is_partial_waits_for_it_past_the_idle_timeout()
    {
        var slow = LogDirectory.Corpus("mysql-slowlog-mariadb-10.3.log");
        var cut = slow.IndexOf("    GROUP BY", StringComparison.Ordinal) + 8;
        LogDirectory.Append(SlowLog, slow[..cut]);
        await using var task = await Started(general: false);

        var before = await TaskPolling.For(task, TimeSpan.FromMilliseconds(400));
        LogDirectory.Append(SlowLog, slow[cut..]);
        var after = await TaskPolling.Until(task, 1);

        var expected = MysqlSlowLogFileParser.SplitEntries(slow).Single();
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Empty, "the idle timeout passed while the statement's line was half written");
            Assert.That(after.Select(r => r.Value.text), Is.EqualTo(new[] { expected.Text }));
            Assert.That(Curation.Curate(after[0].Value).Failure, Is.Null);
        });
    }

    [Test]
    public async Task Truncation_reads_again_from_zero_and_keeps_the_last_printed_time()
    {
        LogDirectory.Append(GeneralLog, "261126 10:00:00\t     5 Connect\tapp@localhost on okt using TCP/IP\n\t\t     5 Query\tSELECT 1\n\t\t     5 Query\tSELECT 11\n");
        await using var task = await Started();
        await TaskPolling.Until(task, 3);

        LogDirectory.Truncate(GeneralLog);
        LogDirectory.Append(GeneralLog, "\t\t     5 Query\tSELECT 2\n261126 10:00:01\t     5 Quit\t\n");
        var records = await TaskPolling.Until(task, 2);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Value.text), Is.EqualTo(new[] { "\t\t     5 Query\tSELECT 2", "261126 10:00:01\t     5 Quit\t" }));
            Assert.That(records.Select(r => r.Value.inherited_time), Is.EqualTo(new[] { "261126 10:00:00", "261126 10:00:00" }), "the server kept its last time across copytruncate");
            Assert.That(Curation.Curate(records[0].Value).EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public void Bad_settings_fail_naming_the_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new MysqlFileOptions().Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.file.general.path"));
            Assert.That(() => new MysqlFileOptions { GeneralPathGlob = "/l/a.log", SlowPathGlob = "/l/a.log" }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.file.slow.path"));
            Assert.That(() => new MysqlFileOptions { SlowPathGlob = "slow.log" }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.file.slow.path"));
            Assert.That(() => new MysqlFileOptions { GeneralPathGlob = "/l/*/general.log" }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.file.general.path"));
            Assert.That(() => new MysqlFileOptions { GeneralPathGlob = "/l/general.log", IdleFlushTimeout = TimeSpan.Zero }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.file.idle.flush.ms"));
        });
    }

    private async Task<MysqlFileSourceTask> Started(bool both = false, bool general = true)
    {
        var task = new MysqlFileSourceTask(new MysqlFileOptions
        {
            GeneralPathGlob = general ? GeneralLog : null,
            SlowPathGlob = both || !general ? SlowLog : null,
            IdleFlushTimeout = TimeSpan.FromMilliseconds(100),
            ReadChunkSize = 512,
            Host = "db-1",
        });
        await task.StartAsync(new Dictionary<string, MysqlFileOffset>(), CancellationToken.None);
        return task;
    }
}
