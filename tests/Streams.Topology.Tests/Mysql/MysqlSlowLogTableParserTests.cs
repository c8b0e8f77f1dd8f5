using NUnit.Framework;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlSlowLogTableParserTests
{
    // The slow_log row MariaDB 10.11 writes for the statement of the corpus slow log file.
    private static readonly MysqlSlowLogRow SleepRow = new(
        "2026-11-22 16:13:34.086210", "app[app] @ localhost [127.0.0.1]", "00:00:00.300483", "00:00:00.000086",
        1, 2, "okt", 0, 0, 1, "SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7", 9, 0);

    [Test]
    public void Row_is_read_with_time_columns_as_durations()
    {
        var entry = MysqlSlowLogTableParser.ParseRow(SleepRow).Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero).AddTicks(862100)));
            Assert.That(entry.HeaderTime, Is.Null);
            Assert.That(entry.UserHost, Is.EqualTo(new MysqlUserHost("app", "app", "localhost", "127.0.0.1")));
            Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromMicroseconds(300483)));
            Assert.That(entry.LockTime, Is.EqualTo(TimeSpan.FromMicroseconds(86)));
            Assert.That(entry.RowsSent, Is.EqualTo(1));
            Assert.That(entry.RowsExamined, Is.EqualTo(2));
            Assert.That(entry.RowsAffected, Is.EqualTo(0));
            Assert.That(entry.Database, Is.EqualTo("okt"));
            Assert.That(entry.LastInsertId, Is.EqualTo(0));
            Assert.That(entry.InsertId, Is.EqualTo(0));
            Assert.That(entry.ServerId, Is.EqualTo(1));
            Assert.That(entry.ThreadId, Is.EqualTo(9));
            Assert.That(entry.Statement, Is.EqualTo("SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7"));
        }
    }

    [Test]
    public void Mysql_row_without_rows_affected_and_database_reads_them_as_null()
    {
        var entry = MysqlSlowLogTableParser.ParseRow(SleepRow with { Db = "", RowsAffected = null }).Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Database, Is.Null);
            Assert.That(entry.RowsAffected, Is.Null);
        }
    }

    [Test]
    public void Start_time_is_read_in_the_session_time_zone()
    {
        var entry = MysqlSlowLogTableParser.ParseRow(SleepRow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Value!;

        Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 15, 13, 34, TimeSpan.Zero).AddTicks(862100)));
    }

    [TestCase("838:59:59.000000", 838 * 3600 + 59 * 60 + 59, 0)]
    [TestCase("00:00:02", 2, 0)]
    [TestCase("00:01:02.5", 62, 500_000)]
    public void Time_values_beyond_a_day_and_without_fraction_are_read(string time, int seconds, int microseconds)
    {
        var entry = MysqlSlowLogTableParser.ParseRow(SleepRow with { QueryTime = time }).Value!;

        Assert.That(entry.QueryTime, Is.EqualTo(TimeSpan.FromSeconds(seconds) + TimeSpan.FromMicroseconds(microseconds)));
    }

    [TestCase("2.5", "slow_log query_time is not a TIME like '00:00:02.000123'")]
    [TestCase("00:61:00", "slow_log query_time is not a TIME like '00:00:02.000123'")]
    [TestCase("00:00:2", "slow_log query_time is not a TIME like '00:00:02.000123'")]
    [TestCase("", "slow_log query_time is not a TIME like '00:00:02.000123'")]
    public void Bad_query_time_fails_with_a_reason(string time, string reason)
    {
        Assert.That(MysqlSlowLogTableParser.ParseRow(SleepRow with { QueryTime = time }).Error, Is.EqualTo(reason));
    }

    [Test]
    public void Bad_lock_time_start_time_and_user_host_fail_with_reasons()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MysqlSlowLogTableParser.ParseRow(SleepRow with { LockTime = "x" }).Error, Is.EqualTo("slow_log lock_time is not a TIME like '00:00:00.000123'"));
            Assert.That(MysqlSlowLogTableParser.ParseRow(SleepRow with { StartTime = "22/11/2026" }).Error, Is.EqualTo("slow_log start_time is not a 'YYYY-MM-DD HH:MM:SS' time"));
            Assert.That(MysqlSlowLogTableParser.ParseRow(SleepRow with { UserHost = "" }).Error, Is.EqualTo("slow_log user_host has no '[user]' part"));
            Assert.That(MysqlSlowLogTableParser.ParseRow(null!).Error, Is.EqualTo("slow_log row is missing"));
        }
    }
}
