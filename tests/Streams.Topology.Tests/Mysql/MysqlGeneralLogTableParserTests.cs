using NUnit.Framework;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlGeneralLogTableParserTests
{
    private const string TableFile = "mysql-general-table-mariadb-10.11.tsv";

    private static List<MysqlGeneralLogRow> CorpusRows() =>
        MysqlClientBatchOutput.Rows(TableFile)
            .Select(c => new MysqlGeneralLogRow(c[0], c[1], long.Parse(c[2]), long.Parse(c[3]), c[4], c[5]))
            .ToList();

    private static MysqlGeneralEntry Parse(MysqlGeneralLogRow row, TimeZoneInfo? zone = null) =>
        MysqlGeneralLogTableParser.ParseRow(row, zone).Value ?? throw new AssertionException("row did not parse");

    [Test]
    public void Every_row_of_the_mariadb_table_parses()
    {
        var results = CorpusRows().Select(r => MysqlGeneralLogTableParser.ParseRow(r)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Has.Count.EqualTo(24));
            Assert.That(results.Select(r => r.Error), Is.All.Null);
        }
    }

    [Test]
    public void Connect_row_has_the_login_name_but_no_privileged_user_yet()
    {
        var entry = Parse(CorpusRows()[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero).AddTicks(731960)));
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("root", null, "localhost", null)));
            Assert.That(entry.ThreadId, Is.EqualTo(8));
            Assert.That(entry.ServerId, Is.EqualTo(1));
            Assert.That(entry.Command, Is.EqualTo("Connect"));
            Assert.That(entry.Argument, Is.EqualTo("root@localhost on  using Socket"));
        }
    }

    [Test]
    public void Tcp_row_has_user_host_and_ip()
    {
        var entry = Parse(CorpusRows()[5]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("app", "app", "localhost", "127.0.0.1")));
            Assert.That(entry.Argument, Is.EqualTo("CREATE DATABASE IF NOT EXISTS okt"));
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero).AddTicks(823940)));
        }
    }

    [Test]
    public void Argument_keeps_real_newlines_and_literal_backslashes()
    {
        var entries = CorpusRows().Select(r => Parse(r)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries[12].Argument, Is.EqualTo("SELECT e.id,\n  e.amount\nFROM expenses e\nWHERE e.amount > 10"));
            Assert.That(entries[9].Argument, Does.EndWith("(7, 99.99, 'hotel\\nnight')"));
            Assert.That(entries[13].Command, Is.EqualTo("Quit"));
            Assert.That(entries[13].Argument, Is.Empty);
        }
    }

    [Test]
    public void Event_time_is_read_in_the_session_time_zone()
    {
        var row = CorpusRows()[0];
        var newYork = Parse(row, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

        Assert.That(newYork.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 21, 13, 34, TimeSpan.Zero).AddTicks(731960)));
    }

    [Test]
    public void Time_skipped_by_daylight_saving_does_not_throw()
    {
        var row = CorpusRows()[0] with { EventTime = "2026-03-29 02:30:00.000000" };
        var entry = Parse(row, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        // 02:30 does not exist in Berlin that night; the standard offset (+01:00) is used.
        Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Ipv6_client_without_host_name_is_read()
    {
        var entry = Parse(CorpusRows()[5] with { UserHost = "app[app] @  [::1]" });

        Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("app", "app", null, "::1")));
    }

    [TestCase("2026-11-22", "general_log event_time is not a 'YYYY-MM-DD HH:MM:SS' time")]
    [TestCase("", "general_log event_time is not a 'YYYY-MM-DD HH:MM:SS' time")]
    [TestCase("2026-11-22 16:13:34.073196 junk", "general_log event_time is not a 'YYYY-MM-DD HH:MM:SS' time")]
    public void Bad_event_time_fails_with_a_reason(string eventTime, string reason)
    {
        var result = MysqlGeneralLogTableParser.ParseRow(CorpusRows()[0] with { EventTime = eventTime });

        Assert.That(result.Error, Is.EqualTo(reason));
    }

    [TestCase("root@localhost", "general_log user_host has no '[user]' part")]
    [TestCase("root[root] localhost []", "general_log user_host has no '@' after '[user]'")]
    [TestCase("root[root] @ localhost", "general_log user_host has no '[ip]' part after '@'")]
    public void Bad_user_host_fails_with_a_reason(string userHost, string reason)
    {
        var result = MysqlGeneralLogTableParser.ParseRow(CorpusRows()[0] with { UserHost = userHost });

        Assert.That(result.Error, Is.EqualTo(reason));
    }

    [Test]
    public void Null_columns_fail_or_read_as_empty_instead_of_throwing()
    {
        var row = new MysqlGeneralLogRow(null!, null!, 1, 1, null!, null!);

        Assert.That(MysqlGeneralLogTableParser.ParseRow(row).Error, Is.Not.Null);
    }
}
