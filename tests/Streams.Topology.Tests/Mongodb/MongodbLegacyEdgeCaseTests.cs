using NUnit.Framework;
using Streams.Topology.Mongodb;
using static Streams.Topology.Tests.Mongodb.MongodbAssert;

namespace Streams.Topology.Tests.Mongodb;

/// <summary>Legacy text lines the corpus lacks (slow operations, ctime times), and text no parser should accept.</summary>
public class MongodbLegacyEdgeCaseTests
{
    [Test]
    public void Slow_find_of_mongod_4_2_gives_namespace_command_plan_app_database_and_duration()
    {
        var e = Parses(
            "2019-08-16T13:43:39.456+0000 I  COMMAND  [conn1] command test.foo appName: \"MongoDB Shell\" command: find { find: \"foo\", filter: { a: 1.0 }, lsid: { id: UUID(\"0f0a7b3c-6e4c-4f63-9d2a-0c3f3e2a1b11\") }, $db: \"test\" } planSummary: COLLSCAN keysExamined:0 docsExamined:1 cursorExhausted:1 numYields:0 nreturned:1 reslen:123 locks:{ Global: { acquireCount: { r: 1 } } } storage:{} protocol:op_msg 105ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Severity, Is.EqualTo("I"));
            Assert.That(e.Component, Is.EqualTo("COMMAND"));
            Assert.That(e.Context, Is.EqualTo("conn1"));
            Assert.That(e.Namespace, Is.EqualTo("test.foo"));
            Assert.That(e.Database, Is.EqualTo("test"));
            Assert.That(e.CommandName, Is.EqualTo("find"));
            Assert.That(e.AppName, Is.EqualTo("MongoDB Shell"));
            Assert.That(e.PlanSummary, Is.EqualTo("COLLSCAN"));
            Assert.That(e.DurationMillis, Is.EqualTo(105));
        }
    }

    [Test]
    public void Slow_query_of_mongod_3_2_keeps_an_index_plan_with_braces()
    {
        var e = Parses(
            "2016-11-15T07:04:17.016+0000 I COMMAND  [conn7] query test.users query: { a: { $gt: 5 } } planSummary: IXSCAN { a: 1 } ntoreturn:0 ntoskip:0 keysExamined:10 docsExamined:10 cursorExhausted:1 keyUpdates:0 writeConflicts:0 numYields:0 nreturned:10 reslen:620 locks:{ Global: { acquireCount: { r: 2 } } } 230ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Namespace, Is.EqualTo("test.users"));
            Assert.That(e.PlanSummary, Is.EqualTo("IXSCAN { a: 1 }"));
            Assert.That(e.CommandName, Is.EqualTo("query"));
            Assert.That(e.DurationMillis, Is.EqualTo(230));
        }
    }

    [Test]
    public void Slow_insert_command_of_mongod_3_2_names_the_command()
    {
        var e = Parses(
            "2016-11-15T07:04:17.016+0000 I COMMAND  [conn2] command test.$cmd command: insert { insert: \"foo\", documents: [ { _id: 1 } ], ordered: true } ninserted:1 keyUpdates:0 writeConflicts:0 numYields:0 reslen:40 locks:{} protocol:op_command 107ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Namespace, Is.EqualTo("test.$cmd"));
            Assert.That(e.Database, Is.EqualTo("test"));
            Assert.That(e.CommandName, Is.EqualTo("insert"));
            Assert.That(e.PlanSummary, Is.Null);
            Assert.That(e.DurationMillis, Is.EqualTo(107));
        }
    }

    [Test]
    public void Slow_update_names_the_operation_when_the_command_has_no_name()
    {
        var e = Parses(
            "2018-03-01T10:00:00.000+0000 I WRITE    [conn4] update shop.orders command: { q: { _id: 7 }, u: { $set: { paid: true } }, multi: false, upsert: false } planSummary: IDHACK keysExamined:1 docsExamined:1 nMatched:1 nModified:1 numYields:0 locks:{} 0ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Component, Is.EqualTo("WRITE"));
            Assert.That(e.CommandName, Is.EqualTo("update"));
            Assert.That(e.PlanSummary, Is.EqualTo("IDHACK"));
            Assert.That(e.DurationMillis, Is.EqualTo(0));
            Assert.That(e.Database, Is.EqualTo("shop"));
        }
    }

    [Test]
    public void Successful_authentication_gives_user_database_and_client()
    {
        var e = Parses("2019-01-10T08:00:00.000+0000 I ACCESS   [conn9] Successfully authenticated as principal alice on admin from client 10.1.2.3:51234");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.User, Is.EqualTo("alice"));
            Assert.That(e.Database, Is.EqualTo("admin"));
            Assert.That(e.RemoteIp, Is.EqualTo("10.1.2.3"));
            Assert.That(e.RemotePort, Is.EqualTo(51234));
        }
    }

    [Test]
    public void Failed_authentication_gives_user_database_and_client()
    {
        var e = Parses("2019-01-10T08:00:00.000+0000 I ACCESS   [conn9] SASL SCRAM-SHA-1 authentication failed for bob on reporting from client 10.1.2.3:51234 ; UserNotFound: Could not find user bob@reporting");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.User, Is.EqualTo("bob"));
            Assert.That(e.Database, Is.EqualTo("reporting"));
            Assert.That(e.RemoteIp, Is.EqualTo("10.1.2.3"));
        }
    }

    [Test]
    public void Ipv6_client_in_brackets_is_split_into_ip_and_port()
    {
        var e = Parses("2018-02-05T13:50:55.487+0100 I NETWORK  [listener] connection accepted from [::1]:52236 #1 (1 connection now open)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.RemoteIp, Is.EqualTo("::1"));
            Assert.That(e.RemotePort, Is.EqualTo(52236));
        }
    }

    [Test]
    public void Context_with_spaces_ends_at_the_first_closing_bracket()
    {
        var e = Parses("2018-02-05T13:50:55.487+0100 D1 STORAGE  [WT RecordStoreThread: local.oplog.rs] WiredTigerRecordStoreThread local.oplog.rs");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Severity, Is.EqualTo("D1"));
            Assert.That(e.Context, Is.EqualTo("WT RecordStoreThread: local.oplog.rs"));
            Assert.That(e.Message, Is.EqualTo("WiredTigerRecordStoreThread local.oplog.rs"));
        }
    }

    [Test]
    public void Utc_timestamp_format_is_read()
    {
        Assert.That(Parses("2016-11-15T07:04:17.016Z F -        [main] Fatal assertion 28562").Timestamp,
            Is.EqualTo(Utc(2016, 11, 15, 7, 4, 17, 16)));
    }

    [Test]
    public void Ctime_line_with_severity_uses_the_given_year_and_offset()
    {
        var e = Parses("Tue Nov 15 07:04:17.016 I CONTROL  [initandlisten] db version v3.2.11", new MongodbCtimeContext(2016, TimeSpan.FromHours(1)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2016, 11, 15, 6, 4, 17, 16)));
            Assert.That(e.Severity, Is.EqualTo("I"));
            Assert.That(e.Component, Is.EqualTo("CONTROL"));
            Assert.That(e.Context, Is.EqualTo("initandlisten"));
            Assert.That(e.Message, Is.EqualTo("db version v3.2.11"));
        }
    }

    [Test]
    public void Ctime_line_of_mongod_2_has_no_severity_or_component()
    {
        var e = Parses("Sat Nov  5 15:41:35.486 [initandlisten] MongoDB starting : pid=1234 port=27017", new MongodbCtimeContext(2011, TimeSpan.Zero));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2011, 11, 5, 15, 41, 35, 486)));
            Assert.That(e.Severity, Is.Null);
            Assert.That(e.Component, Is.Null);
            Assert.That(e.Context, Is.EqualTo("initandlisten"));
            Assert.That(e.Message, Is.EqualTo("MongoDB starting : pid=1234 port=27017"));
        }
    }

    [Test]
    public void Ctime_line_without_a_year_to_assume_is_dead_lettered_with_the_way_out()
    {
        Assert.That(Fails("Tue Nov 15 07:04:17.016 [initandlisten] db version v2.4.9"),
            Is.EqualTo("MongoDB legacy line has a ctime time, which has no year or UTC offset; parse it with a MongodbCtimeContext"));
    }

    [TestCase("hello world", "MongoDB legacy line does not start with an ISO 8601 or ctime time: 'hello world'")]
    [TestCase("2018-02-30T13:44:56.657+0100 I CONTROL  [main] x", "MongoDB legacy line does not start with an ISO 8601 time with a zone: '2018-02-30T13:44:56.657+0100'")]
    [TestCase("2018-02-05T13:44:56.657+0100 INFO CONTROL  [main] x", "MongoDB legacy line has no severity (F, E, W, I, D1..D5) after the time: 'INFO'")]
    [TestCase("2018-02-05T13:44:56.657+0100 I CONTROL main x", "MongoDB legacy line has no [context] after the component")]
    [TestCase("2018-02-05T13:44:56.657+0100 I CONTROL  [main", "MongoDB legacy line has no [context] after the component")]
    [TestCase("2018-02-05T13:44:56.657+0100", "MongoDB legacy line has no severity (F, E, W, I, D1..D5) after the time: ''")]
    [TestCase("   ", "MongoDB line is empty")]
    public void Text_that_is_not_a_mongod_line_is_dead_lettered_with_reason(string line, string reason)
    {
        Assert.That(Fails(line), Is.EqualTo(reason));
    }

    [Test]
    public void Null_line_is_dead_lettered()
    {
        Assert.That(MongodbLogParser.Parse((string?)null).Error, Is.EqualTo("MongoDB line is null"));
    }

    [Test]
    public void Very_long_message_is_kept_whole()
    {
        var tail = new string('z', 1_000_000);
        Assert.That(Parses("2018-02-05T13:44:56.657+0100 I CONTROL  [main] " + tail).Message, Is.EqualTo(tail));
    }
}
