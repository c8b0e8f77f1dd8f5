using NUnit.Framework;
using Streams.Topology.Mysql;
using Streams.Topology.Parsing;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlSlowLogFileParserTests
{
    private static List<MysqlSlowEntry> ParseCorpus(string name, TimeZoneInfo? zone = null) =>
        Parse(Corpus.Text(name), zone);

    private static List<MysqlSlowEntry> Parse(string text, TimeZoneInfo? zone = null) =>
        MysqlSlowLogFileParser.SplitEntries(text)
            .Select(entry => MysqlSlowLogFileParser.ParseEntry(entry, zone))
            .Select(result => result.Value ?? throw new AssertionException(result.Error ?? "no value"))
            .ToList();

    private static ParseResult<MysqlSlowEntry> ParseOne(string text) =>
        MysqlSlowLogFileParser.ParseEntry(MysqlSlowLogFileParser.SplitEntries(text).Single());

    [TestCase("mysql-slowlog-8.0.log", 2)]
    [TestCase("mysql-slowlog-mariadb-10.3.log", 1)]
    [TestCase("mysql-slowlog-mariadb-10.11.log", 1)]
    public void Every_entry_of_the_corpus_parses(string name, int count)
    {
        var results = MysqlSlowLogFileParser.SplitEntries(Corpus.Text(name)).Select(e => MysqlSlowLogFileParser.ParseEntry(e)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Has.Count.EqualTo(count));
            Assert.That(results.Select(r => r.Error), Is.All.Null);
        }
    }

    [Test]
    public void Mysql_8_entry_is_read_with_set_timestamp_as_event_time()
    {
        var entry = ParseCorpus("mysql-slowlog-8.0.log")[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1553436105)));
            Assert.That(entry.HeaderTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 14, 1, 47, TimeSpan.Zero).AddTicks(8112340)));
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("root", "root", "localhost", null)));
            Assert.That(entry.ThreadId, Is.EqualTo(14));
            Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromTicks(24754690)));
            Assert.That(entry.LockTime, Is.EqualTo(TimeSpan.FromMicroseconds(287)));
            Assert.That(entry.RowsSent, Is.EqualTo(10));
            Assert.That(entry.RowsExamined, Is.EqualTo(3145718));
            Assert.That(entry.Database, Is.EqualTo("employees"));
            Assert.That(entry.Statement, Is.EqualTo("SELECT last_name, MAX(salary) AS salary FROM employees INNER JOIN salaries ON employees.emp_no = salaries.emp_no GROUP BY last_name ORDER BY salary DESC LIMIT 10;"));
            Assert.That(entry.Attributes, Is.Empty);
        }
    }

    [Test]
    public void Mysql_8_extra_fields_and_multi_line_statement_are_kept()
    {
        var entry = ParseCorpus("mysql-slowlog-8.0.log")[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.ThreadId, Is.EqualTo(16));
            Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromTicks(26318440)));
            Assert.That(entry.BytesSent, Is.EqualTo(312));
            Assert.That(entry.Attributes["Read_key"], Is.EqualTo("3144072"));
            Assert.That(entry.Attributes["Start"], Is.EqualTo("2019-03-24T14:04:51.082107Z"));
            Assert.That(entry.Attributes["End"], Is.EqualTo("2019-03-24T14:04:53.713951Z"));
            Assert.That(entry.Attributes, Does.Not.ContainKey("Thread_id").And.Not.ContainKey("Query_time"));
            Assert.That(entry.Statement, Is.EqualTo(
                "SELECT last_name, MAX(salary) AS salary FROM employees\n    INNER JOIN salaries ON employees.emp_no = salaries.emp_no\n"
                + "    GROUP BY last_name\n    ORDER BY salary DESC\n    LIMIT 10;"));
        }
    }

    [Test]
    public void Mariadb_10_3_entry_is_read_with_its_extra_header_lines()
    {
        var entry = ParseCorpus("mysql-slowlog-mariadb-10.3.log").Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 16, 3, 0, TimeSpan.Zero)));
            Assert.That(entry.HeaderTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 16, 3, 0, TimeSpan.Zero)));
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("root", "root", "localhost", null)));
            Assert.That(entry.ThreadId, Is.EqualTo(37));
            Assert.That(entry.Database, Is.EqualTo("employees"));
            Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromTicks(24615780)));
            Assert.That(entry.LockTime, Is.EqualTo(TimeSpan.FromMicroseconds(196)));
            Assert.That(entry.RowsExamined, Is.EqualTo(3145718));
            Assert.That(entry.RowsAffected, Is.EqualTo(0));
            Assert.That(entry.BytesSent, Is.EqualTo(319));
            Assert.That(entry.Attributes["QC_hit"], Is.EqualTo("No"));
            Assert.That(entry.Attributes["Tmp_table_sizes"], Is.EqualTo("4026528"));
            Assert.That(entry.Attributes["Full_scan"], Is.EqualTo("Yes"));
            Assert.That(entry.Attributes["Priority_queue"], Is.EqualTo("Yes"));
            Assert.That(entry.Statement, Does.StartWith("SELECT last_name").And.EndWith("    LIMIT 10;"));
        }
    }

    [Test]
    public void Mariadb_10_11_entry_is_read_with_client_ip_and_quoted_schema()
    {
        var entry = ParseCorpus("mysql-slowlog-mariadb-10.11.log").Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero)));
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("app", "app", "localhost", "127.0.0.1")));
            Assert.That(entry.ThreadId, Is.EqualTo(9));
            Assert.That(entry.Database, Is.EqualTo("okt"));
            Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromMicroseconds(300483)));
            Assert.That(entry.RowsSent, Is.EqualTo(1));
            Assert.That(entry.RowsExamined, Is.EqualTo(2));
            Assert.That(entry.Statement, Is.EqualTo("SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7;"));
        }
    }

    [Test]
    public void Mariadb_time_header_is_read_as_local_time_but_set_timestamp_wins()
    {
        var entry = ParseCorpus("mysql-slowlog-mariadb-10.3.log", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Single();

        using (Assert.EnterMultipleScope())
        {
            // 24 March 2019 is still winter time in Berlin (UTC+1).
            Assert.That(entry.HeaderTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 15, 3, 0, TimeSpan.Zero)));
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 16, 3, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public void Entry_without_its_own_time_header_inherits_the_previous_one()
    {
        const string Text = "# Time: 190324  6:03:00\n# User@Host: a[a] @ localhost []\n# Query_time: 1.5  Lock_time: 0  Rows_sent: 1  Rows_examined: 1\nSELECT 1;\n"
            + "# User@Host: b[b] @ web1 [10.0.0.7]\n# Query_time: 0.25  Lock_time: 0.000001  Rows_sent: 0  Rows_examined: 9\nSELECT 2;\n";
        var entries = Parse(Text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0].EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 6, 3, 0, TimeSpan.Zero)));
            Assert.That(entries[1].EventTime, Is.EqualTo(entries[0].EventTime));
            Assert.That(entries[1].HeaderTime, Is.EqualTo(entries[0].EventTime));
            Assert.That(entries[1].UserHost, Is.EqualTo(new MysqlUserHost("b", "b", "web1", "10.0.0.7")));
            Assert.That(entries[1].QueryTime, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(entries[1].Statement, Is.EqualTo("SELECT 2;"));
            Assert.That(entries[0].Database, Is.Null);
        }
    }

    [Test]
    public void Iso_time_with_offset_and_ipv6_client_are_read()
    {
        var entry = ParseOne("# Time: 2019-03-24T16:01:47.811234+02:00\n# User@Host: app[app] @  [::1]  Id:     5\n"
            + "# Query_time: 0.5  Lock_time: 0.0 Rows_sent: 0  Rows_examined: 0\nSELECT 1;").Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2019, 3, 24, 14, 1, 47, TimeSpan.Zero).AddTicks(8112340)));
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("app", "app", null, "::1")));
            Assert.That(entry.ThreadId, Is.EqualTo(5));
        }
    }

    [Test]
    public void Empty_schema_and_administrator_command_are_read()
    {
        var entry = ParseOne("# Time: 261122 16:13:34\n# User@Host: app[app] @ localhost [127.0.0.1]\n# Thread_id: 9  Schema:   QC_hit: No\n"
            + "# Query_time: 0.300483  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n# Rows_affected: 0  Bytes_sent: 11\n"
            + "SET timestamp=1795364014;\n# administrator command: Quit;").Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Database, Is.Null);
            Assert.That(entry.Attributes["QC_hit"], Is.EqualTo("No"));
            Assert.That(entry.Statement, Is.EqualTo("# administrator command: Quit;"));
            Assert.That(entry.BytesSent, Is.EqualTo(11));
        }
    }

    [Test]
    public void Banner_between_entries_is_not_part_of_a_statement()
    {
        var text = Corpus.Text("mysql-slowlog-mariadb-10.11.log") + Corpus.Text("mysql-slowlog-mariadb-10.3.log");
        var entries = Parse(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0].Statement, Is.EqualTo("SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7;"));
        }
    }

    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\nSELECT 1;", "slow log entry has no '# Query_time' header")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2.4\nSELECT 1;", "slow log Lock_time is missing or not a number of seconds")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1\nSELECT 1;", "slow log Rows_sent or Rows_examined is missing or not a count")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2,4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1\nSELECT 1;", "slow log Query_time is not a number of seconds")]
    [TestCase("# Time: 190324 16:03:00\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1\nSELECT 1;", "slow log entry has no '# User@Host' header")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h", "slow log user_host has no '[ip]' part after '@'")]
    [TestCase("# Time: 190399 16:03:00\n# User@Host: a[a] @ h []", "slow log '# Time' value is not a MySQL time")]
    [TestCase("# Time: 190324 16:03:00", "slow log entry has no '# User@Host' header")]
    [TestCase("# User@Host: a[a] @ h []\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1\nSELECT 1;", "slow log entry has no time: no '# Time' header before it and no 'SET timestamp'")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1\nSET timestamp=99999999999999;\nSELECT 1;", "slow log 'SET timestamp' value is not seconds since the epoch")]
    [TestCase("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1", "slow log entry has no statement")]
    [TestCase("garbage\nmore garbage", "slow log entry has no '# User@Host' header")]
    public void Truncated_or_malformed_entry_fails_with_a_reason(string text, string reason)
    {
        Assert.That(ParseOne(text).Error, Is.EqualTo(reason));
    }

    [Test]
    public void Very_long_statement_is_read_whole()
    {
        var statement = "SELECT '" + new string('y', 1_000_000) + "';";
        var entry = ParseOne("# Time: 190324 16:03:00\n# User@Host: a[a] @ h []\n# Query_time: 2.4  Lock_time: 0.1  Rows_sent: 1  Rows_examined: 1\n" + statement);

        Assert.That(entry.Value?.Statement, Is.EqualTo(statement));
    }
}
