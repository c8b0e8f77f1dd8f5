using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Mysql;
using Streams.Topology.Normalising;
using Streams.Topology.Tests.Normalising;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlNormaliserTests
{
    private const string Origin = "db-1:/var/log/mysql/general.log";

    private static List<MysqlCurated> GeneralFileCorpus() =>
        MysqlGeneralLogFileParser.SplitEntries(Corpus.Text("mysql-general-mariadb-10.11.log"))
            .Select(entry => MysqlGeneralLogFileParser.ParseEntry(entry).Value ?? throw new AssertionException($"line {entry.LineNumber} did not parse"))
            .Select((entry, i) => MysqlNormaliser.Normalise(entry, Contexts.For(Origin, $"general-{i}")))
            .ToList();

    private static MysqlCurated Slow(string corpus, int index) =>
        MysqlNormaliser.Normalise(
            MysqlSlowLogFileParser.SplitEntries(Corpus.Text(corpus)).Select(e => MysqlSlowLogFileParser.ParseEntry(e).Value!).ElementAt(index),
            Contexts.For("db-1"));

    [Test]
    public void General_log_entries_are_database_events_of_the_general_dataset_with_their_id_and_ingest_time()
    {
        var records = GeneralFileCorpus();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.@event.dataset), Is.All.EqualTo("mysql.general"));
            Assert.That(records.Select(r => r.@event.module), Is.All.EqualTo("mysql"));
            Assert.That(records.Select(r => r.@event.kind), Is.All.EqualTo("event"));
            Assert.That(records.Select(r => r.@event.category[0]), Is.All.EqualTo("database"));
            Assert.That(records[3].@event.id, Is.EqualTo("general-3"));
            Assert.That(records.Select(r => r.@event.ingested), Is.All.EqualTo(Contexts.Ingested.UtcDateTime));
            Assert.That(records.Select(r => r.labels["origin"]), Is.All.EqualTo(Origin));
            Assert.That(records[0].@event.category, Is.InstanceOf<List<string>>(), "later steps may add categories");
        }
    }

    [Test]
    public void Access_denied_connect_is_a_failed_authentication_with_the_user_and_host_it_names()
    {
        var denied = GeneralFileCorpus().Single(r => r.mysql.thread_id == 10 && r.message.StartsWith("Access denied", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(denied.@event.category, Is.EqualTo(new[] { "database", "authentication" }));
            Assert.That(denied.@event.type, Is.EqualTo(new[] { "start" }));
            Assert.That(denied.@event.outcome, Is.EqualTo("failure"));
            Assert.That(denied.user.name, Is.EqualTo("app"));
            Assert.That(denied.source.address, Is.EqualTo("localhost"));
            Assert.That(denied.source.ip, Is.Null);
            Assert.That(denied.timestamp, Is.EqualTo(new DateTime(2026, 11, 22, 16, 13, 35, DateTimeKind.Utc)));
        }
    }

    [Test]
    public void Connect_opens_a_session_with_an_unknown_outcome_and_quit_ends_it()
    {
        var thread9 = GeneralFileCorpus().Where(r => r.mysql.thread_id == 9).ToList();
        var connect = thread9.First();
        var quit = thread9.Last();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connect.@event.category, Is.EqualTo(new[] { "database", "session" }));
            Assert.That(connect.@event.type, Is.EqualTo(new[] { "start" }));
            Assert.That(connect.@event.outcome, Is.EqualTo("unknown"));
            Assert.That(connect.user.name, Is.EqualTo("app"));
            Assert.That(connect.mysql.query, Is.Null);
            Assert.That(quit.mysql.command, Is.EqualTo("Quit"));
            Assert.That(quit.@event.type, Is.EqualTo(new[] { "end" }));
            Assert.That(quit.message, Is.Null);
        }
    }

    [Test]
    public void Query_is_a_database_access_whose_statement_is_message_and_mysql_query_and_init_db_names_the_db()
    {
        var thread9 = GeneralFileCorpus().Where(r => r.mysql.thread_id == 9).ToList();
        var multiLine = thread9.Single(r => r.message?.StartsWith("SELECT e.id", StringComparison.Ordinal) == true);
        var initDb = thread9.Single(r => r.mysql.command == "Init DB");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(multiLine.@event.type, Is.EqualTo(new[] { "access" }));
            Assert.That(multiLine.mysql.query, Is.EqualTo("SELECT e.id,\n  e.amount\nFROM expenses e\nWHERE e.amount > 10"));
            Assert.That(multiLine.message, Is.EqualTo(multiLine.mysql.query));
            Assert.That(initDb.mysql.db, Is.EqualTo("okt"));
        }
    }

    [Test]
    public void Entries_before_mariadb_printed_a_time_take_the_ingest_time_and_say_so()
    {
        var first = GeneralFileCorpus()[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.timestamp, Is.EqualTo(Contexts.Ingested.UtcDateTime));
            Assert.That(first.labels["timestamp_from"], Is.EqualTo("ingested"));
        }
    }

    [Test]
    public void Table_rows_carry_user_source_ip_and_server_id_from_their_columns()
    {
        var row = new MysqlGeneralLogRow("2026-11-22 16:13:34.082394", "app[app] @ localhost [127.0.0.1]", 9, 1, "Query", "CREATE DATABASE IF NOT EXISTS okt");
        var record = MysqlNormaliser.Normalise(MysqlGeneralLogTableParser.ParseRow(row).Value!, Contexts.For("db-1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.timestamp, Is.EqualTo(new DateTime(2026, 11, 22, 16, 13, 34, DateTimeKind.Utc).AddTicks(823940)));
            Assert.That(record.user.name, Is.EqualTo("app"));
            Assert.That(record.source.ip, Is.EqualTo("127.0.0.1"));
            Assert.That(record.source.address, Is.EqualTo("localhost"));
            Assert.That(record.mysql.server_id, Is.EqualTo(1));
            Assert.That(record.labels, Does.Not.ContainKey("timestamp_from"));
        }
    }

    [Test]
    public void Slow_query_time_becomes_event_duration_in_nanoseconds_and_microsecond_fields()
    {
        var record = Slow("mysql-slowlog-8.0.log", 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.@event.dataset, Is.EqualTo("mysql.slowlog"));
            Assert.That(record.@event.category, Is.EqualTo(new[] { "database" }));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "info" }));
            Assert.That(record.@event.duration, Is.EqualTo(2_475_469_000L));
            Assert.That(record.@event.outcome, Is.EqualTo("unknown"));
            Assert.That(record.mysql.query_time_us, Is.EqualTo(2_475_469L));
            Assert.That(record.mysql.lock_time_us, Is.EqualTo(287L));
            Assert.That(record.mysql.rows_examined, Is.EqualTo(3_145_718L));
            Assert.That(record.mysql.db, Is.EqualTo("employees"));
            Assert.That(record.mysql.thread_id, Is.EqualTo(14L));
            Assert.That(record.user.name, Is.EqualTo("root"));
            Assert.That(record.source.address, Is.EqualTo("localhost"));
            Assert.That(record.timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1553436105).UtcDateTime));
            Assert.That(record.message, Does.StartWith("SELECT last_name"));
        }
    }

    [Test]
    public void Slow_entry_with_errno_zero_succeeded_and_mariadb_qc_hit_is_read_as_a_boolean()
    {
        var mysql8 = Slow("mysql-slowlog-8.0.log", 1);
        var mariadb = Slow("mysql-slowlog-mariadb-10.11.log", 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mysql8.@event.outcome, Is.EqualTo("success"));
            Assert.That(mysql8.mysql.bytes_sent, Is.EqualTo(312L));
            Assert.That(mariadb.mysql.query_cache_hit, Is.False);
            Assert.That(mariadb.mysql.rows_affected, Is.EqualTo(0L));
            Assert.That(mariadb.source.ip, Is.EqualTo("127.0.0.1"));
            Assert.That(mariadb.@event.duration, Is.EqualTo(300_483_000L));
        }
    }

    [Test]
    public void Odd_entries_with_empty_or_null_parts_do_not_throw()
    {
        var general = new MysqlGeneralEntry { ThreadId = 0, Command = null!, Argument = null! };
        var slow = new MysqlSlowEntry
        {
            EventTime = DateTimeOffset.UnixEpoch,
            UserHost = null!,
            QueryTime = TimeSpan.MaxValue,
            LockTime = TimeSpan.FromTicks(-1),
            RowsSent = 0,
            RowsExamined = 0,
            Statement = "",
            Attributes = null!,
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => MysqlNormaliser.Normalise(general, new CurationContext("", "", default)), Throws.Nothing);
            var record = MysqlNormaliser.Normalise(slow, Contexts.For(""));
            Assert.That(record.@event.duration, Is.Null);
            Assert.That(record.mysql.lock_time_us, Is.Null);
            Assert.That(record.source, Is.Null);
            Assert.That(record.labels, Is.Empty);
        }
    }
}
