using NUnit.Framework;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlGeneralLogFileParserTests
{
    private const string MariadbFile = "mysql-general-mariadb-10.11.log";

    private static List<MysqlGeneralEntry> ParseCorpus(TimeZoneInfo? zone = null) =>
        MysqlGeneralLogFileParser.SplitEntries(Corpus.Text(MariadbFile))
            .Select(entry => MysqlGeneralLogFileParser.ParseEntry(entry, zone).Value
                ?? throw new AssertionException($"line {entry.LineNumber} did not parse"))
            .ToList();

    [Test]
    public void Every_entry_of_the_mariadb_file_parses_and_banner_lines_are_not_events()
    {
        var entries = MysqlGeneralLogFileParser.SplitEntries(Corpus.Text(MariadbFile)).ToList();
        var results = entries.Select(e => MysqlGeneralLogFileParser.ParseEntry(e)).ToList();

        using (Assert.EnterMultipleScope())
        {
            // 38 lines: 3 banner lines and 3 continuation lines of one multi-line statement.
            Assert.That(entries, Has.Count.EqualTo(32));
            Assert.That(results.Select(r => r.Error), Is.All.Null);
            Assert.That(entries.Select(e => e.Text), Has.None.Contains("Version:").And.None.Contains("Tcp port:"));
        }
    }

    [Test]
    public void Entries_before_mariadb_printed_any_time_have_no_event_time()
    {
        var entries = ParseCorpus();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.TakeWhile(e => e.ThreadId < 8).Select(e => e.EventTime), Is.All.Null);
            Assert.That(entries[0].Command, Is.EqualTo("Query"));
            Assert.That(entries[0].ThreadId, Is.EqualTo(5));
            Assert.That(entries[0].Argument, Is.EqualTo("SET GLOBAL general_log=1"));
        }
    }

    [Test]
    public void Mariadb_time_column_is_read_and_inherited_by_the_tab_lines_after_it()
    {
        var entries = ParseCorpus();
        var connect8 = entries.Single(e => e.ThreadId == 8 && e.Command == "Connect");
        var thread9 = entries.Where(e => e.ThreadId == 9).ToList();
        var denied10 = entries.Single(e => e.ThreadId == 10 && e.Argument.StartsWith("Access denied", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connect8.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero)));
            Assert.That(connect8.Argument, Is.EqualTo("root@localhost on  using Socket"));
            // Ties: every line of the same second carries the same time.
            Assert.That(thread9.Select(e => e.EventTime), Is.All.EqualTo(connect8.EventTime));
            Assert.That(denied10.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 35, TimeSpan.Zero)));
            Assert.That(denied10.Command, Is.EqualTo("Connect"));
            Assert.That(denied10.Argument, Is.EqualTo("Access denied for user 'app'@'localhost' (using password: YES)"));
        }
    }

    [Test]
    public void Mariadb_time_column_is_read_as_local_time_of_the_given_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var connect8 = ParseCorpus(berlin).Single(e => e.ThreadId == 8 && e.Command == "Connect");

        // 22 November is winter time in Berlin, UTC+1.
        Assert.That(connect8.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 15, 13, 34, TimeSpan.Zero)));
    }

    [Test]
    public void Multi_line_statement_is_one_entry_with_its_lines_joined()
    {
        var select = ParseCorpus().Single(e => e.Argument.StartsWith("SELECT e.id", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(select.Argument, Is.EqualTo("SELECT e.id,\n  e.amount\nFROM expenses e\nWHERE e.amount > 10"));
            Assert.That(select.ThreadId, Is.EqualTo(9));
            Assert.That(select.Command, Is.EqualTo("Query"));
        }
    }

    [Test]
    public void Command_with_a_space_and_empty_argument_are_read()
    {
        var entries = ParseCorpus();
        var initDb = entries.Single(e => e.Command == "Init DB");
        var quits = entries.Where(e => e.Command == "Quit").ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(initDb.Argument, Is.EqualTo("okt"));
            Assert.That(initDb.ThreadId, Is.EqualTo(9));
            Assert.That(quits.Select(q => q.ThreadId), Is.EqualTo(new long[] { 5, 7, 8, 9, 11, 12 }));
            Assert.That(quits.Select(q => q.Argument), Is.All.Empty);
        }
    }

    [Test]
    public void File_and_table_of_the_same_server_agree_on_every_event_they_share()
    {
        var file = ParseCorpus().Where(e => e.EventTime is not null).ToList();
        var table = MysqlClientBatchOutput.Rows("mysql-general-table-mariadb-10.11.tsv")
            .Select(c => MysqlGeneralLogTableParser.ParseRow(
                new MysqlGeneralLogRow(c[0], c[1], long.Parse(c[2]), long.Parse(c[3]), c[4], c[5])).Value!)
            .Take(file.Count)
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Select(e => (e.ThreadId, e.Command, e.Argument)), Is.EqualTo(table.Select(e => (e.ThreadId, e.Command, e.Argument))));
            // The file prints whole seconds; the table keeps microseconds.
            Assert.That(file.Select(e => e.EventTime), Is.EqualTo(table.Select(e => TruncateToSecond(e.EventTime!.Value))));
        }
    }

    [Test]
    public void Mysql_8_iso_time_on_every_line_is_read_with_its_offset()
    {
        const string Text = "/usr/sbin/mysqld, Version: 8.0.15 (MySQL Community Server - GPL). started with:\n"
            + "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
            + "Time                 Id Command    Argument\n"
            + "2019-03-24T14:01:47.811234Z\t   14 Connect\troot@localhost on employees using Socket\n"
            + "2019-03-24T16:01:47.900000+02:00\t   14 Query\tSELECT 1\n"
            + "2019-03-24T14:01:48.000001Z\t   14 Quit\t\n";
        var entries = MysqlGeneralLogFileParser.SplitEntries(Text)
            .Select(e => MysqlGeneralLogFileParser.ParseEntry(e, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Value!)
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(3));
            Assert.That(entries[0].EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 14, 1, 47, TimeSpan.Zero).AddTicks(8112340)));
            Assert.That(entries[0].Argument, Is.EqualTo("root@localhost on employees using Socket"));
            Assert.That(entries[1].EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 14, 1, 47, 900, TimeSpan.Zero)));
            Assert.That(entries[2].Command, Is.EqualTo("Quit"));
            Assert.That(entries[2].Argument, Is.Empty);
        }
    }

    [Test]
    public void Space_padded_hour_of_old_servers_and_windows_line_ends_are_read()
    {
        const string Text = "190324  6:03:00\t    3 Query\tSELECT 1\r\n\t\t    3 Quit\r\n";
        var entries = MysqlGeneralLogFileParser.SplitEntries(Text).Select(e => MysqlGeneralLogFileParser.ParseEntry(e).Value!).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries[0].EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 6, 3, 0, TimeSpan.Zero)));
            Assert.That(entries[0].Argument, Is.EqualTo("SELECT 1"));
            Assert.That(entries[1].EventTime, Is.EqualTo(entries[0].EventTime));
            Assert.That(entries[1].Command, Is.EqualTo("Quit"));
            Assert.That(entries[1].Argument, Is.Empty);
        }
    }

    [Test]
    public void Banner_printed_again_mid_file_ends_the_statement_before_it()
    {
        const string Text = "\t\t    3 Query\tSELECT 1\n/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-log (Debian 12). started with:\n"
            + "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\nTime\t\t    Id Command\tArgument\n\t\t    4 Quit\t\n";
        var entries = MysqlGeneralLogFileParser.SplitEntries(Text).ToList();

        Assert.That(entries.Select(e => e.Text), Is.EqualTo(new[] { "\t\t    3 Query\tSELECT 1", "\t\t    4 Quit\t" }));
    }

    [Test]
    public void Garbage_before_the_first_entry_is_kept_and_fails_with_a_reason()
    {
        var entries = MysqlGeneralLogFileParser.SplitEntries("not a log line\nstill not\n\t\t    3 Query\tSELECT 1\n").ToList();
        var first = MysqlGeneralLogFileParser.ParseEntry(entries[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0].Text, Is.EqualTo("not a log line\nstill not"));
            Assert.That(entries[1].LineNumber, Is.EqualTo(3));
            Assert.That(first.IsSuccess, Is.False);
            Assert.That(first.Error, Is.EqualTo("general log entry does not start with 'Id Command' columns"));
        }
    }

    [TestCase("261399 16:13:34\t     8 Query\tSELECT 1", TestName = "Month_13_is_refused")]
    [TestCase("2019-02-30T10:00:00Z\t     8 Query\tSELECT 1", TestName = "February_30_is_refused")]
    [TestCase("261122 25:13:34\t     8 Query\tSELECT 1", TestName = "Hour_25_is_refused")]
    public void Impossible_times_fail_with_a_reason(string line)
    {
        var result = MysqlGeneralLogFileParser.ParseEntry(new MysqlLogEntryText(line, null, 1));

        Assert.That(result.Error, Does.StartWith("general log time '").And.EndWith("' is not a MySQL time"));
    }

    [Test]
    public void Inherited_time_that_is_not_a_time_fails_instead_of_being_dropped()
    {
        var result = MysqlGeneralLogFileParser.ParseEntry(new MysqlLogEntryText("\t\t 8 Quit\t", "yesterday", 2));

        Assert.That(result.Error, Is.EqualTo("general log time 'yesterday' is not a MySQL time"));
    }

    [Test]
    public void Very_long_argument_is_read_whole()
    {
        var statement = "SELECT '" + new string('x', 1_000_000) + "'";
        var entries = MysqlGeneralLogFileParser.SplitEntries("\t\t    3 Query\t" + statement + "\n").ToList();
        var entry = MysqlGeneralLogFileParser.ParseEntry(entries.Single()).Value;

        Assert.That(entry?.Argument, Is.EqualTo(statement));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
