using System.Text;
using NUnit.Framework;
using Streams.Topology.Mongodb;
using static Streams.Topology.Tests.Mongodb.MongodbAssert;

namespace Streams.Topology.Tests.Mongodb;

/// <summary>Structured log entries the corpus lacks, and JSON no parser should accept.</summary>
public class MongodbJsonEdgeCaseTests
{
    // The "Slow query" example of the MongoDB manual (Log Messages, Slow Operation), on one line.
    private const string SlowQuery =
        "{\"t\":{\"$date\":\"2023-05-24T13:46:27.853+00:00\"},\"s\":\"I\",  \"c\":\"COMMAND\",  \"id\":51803,   \"ctx\":\"conn3\"," +
        "\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"db.coll\",\"appName\":\"MongoDB Shell\"," +
        "\"command\":{\"find\":\"coll\",\"filter\":{\"b\":-1},\"lsid\":{\"id\":{\"$uuid\":\"5d50b19c-8559-420a-a122-8834e012274a\"}},\"$db\":\"db\"}," +
        "\"planSummary\":\"COLLSCAN\",\"planningTimeMicros\":228,\"keysExamined\":0,\"docsExamined\":232922,\"fromPlanCache\":true," +
        "\"nBatches\":1,\"cursorExhausted\":true,\"numYields\":232,\"nreturned\":0,\"queryHash\":\"9C05019A\",\"planCacheKey\":\"C41063D6\"," +
        "\"queryFramework\":\"sbe\",\"reslen\":96,\"locks\":{\"Global\":{\"acquireCount\":{\"r\":233}}},\"storage\":{},\"cpuNanos\":111410254," +
        "\"remote\":\"127.0.0.1:47150\",\"protocol\":\"op_msg\",\"durationMillis\":111}}";

    private static string Entry(string attr, string date = "2024-01-02T03:04:05.678+00:00", string extra = "") =>
        $"{{\"t\":{{\"$date\":\"{date}\"}},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":22943,\"ctx\":\"listener\",\"msg\":\"m\",\"attr\":{attr}{extra}}}";

    [Test]
    public void Slow_query_gives_duration_namespace_plan_command_app_database_and_remote()
    {
        var e = Parses(SlowQuery);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Is.EqualTo("Slow query"));
            Assert.That(e.Id, Is.EqualTo(51803));
            Assert.That(e.DurationMillis, Is.EqualTo(111));
            Assert.That(e.Namespace, Is.EqualTo("db.coll"));
            Assert.That(e.PlanSummary, Is.EqualTo("COLLSCAN"));
            Assert.That(e.CommandName, Is.EqualTo("find"));
            Assert.That(e.AppName, Is.EqualTo("MongoDB Shell"));
            Assert.That(e.Database, Is.EqualTo("db"));
            Assert.That(e.RemoteIp, Is.EqualTo("127.0.0.1"));
            Assert.That(e.RemotePort, Is.EqualTo(47150));
        }
    }

    [Test]
    public void Ipv6_remote_in_brackets_is_split_into_ip_and_port()
    {
        var e = Parses(Entry("{\"remote\":\"[::1]:27017\",\"connectionId\":1}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Remote, Is.EqualTo("[::1]:27017"));
            Assert.That(e.RemoteIp, Is.EqualTo("::1"));
            Assert.That(e.RemotePort, Is.EqualTo(27017));
        }
    }

    [Test]
    public void Unix_socket_remote_is_kept_as_written_without_ip()
    {
        var e = Parses(Entry("{\"remote\":\"anonymous unix socket:27017\"}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Remote, Is.EqualTo("anonymous unix socket:27017"));
            Assert.That(e.RemoteIp, Is.Null);
            Assert.That(e.RemotePort, Is.Null);
        }
    }

    [Test]
    public void Client_metadata_gives_the_application_name()
    {
        var e = Parses(Entry("{\"remote\":\"192.168.14.15:37666\",\"client\":\"conn281\",\"doc\":{\"application\":{\"name\":\"MongoDB Shell\"},\"driver\":{\"name\":\"MongoDB Internal Client\",\"version\":\"4.4.0\"}}}"));
        Assert.That(e.AppName, Is.EqualTo("MongoDB Shell"));
    }

    [Test]
    public void User_object_gives_user_and_database()
    {
        var e = Parses(Entry("{\"user\":{\"user\":\"alice\",\"db\":\"reporting\"}}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.User, Is.EqualTo("alice"));
            Assert.That(e.Database, Is.EqualTo("reporting"));
        }
    }

    [Test]
    public void Fractional_duration_is_rounded_to_milliseconds()
    {
        Assert.That(Parses(Entry("{\"durationMillis\":12.6}")).DurationMillis, Is.EqualTo(13));
    }

    [Test]
    public void Tags_truncation_size_and_service_are_kept()
    {
        var e = Parses(Entry(
            "{\"request\":{\"splitKeys\":[{\"_id\":{}}]}}",
            extra: ",\"tags\":[\"startupWarnings\"],\"truncated\":{\"request\":{\"splitKeys\":{\"155\":{\"_id\":{\"id\":{\"type\":\"binData\",\"size\":21}}}}}},\"size\":{\"request\":46328},\"svc\":\"S\""));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Tags, Is.EqualTo(new[] { "startupWarnings" }));
            Assert.That(e.TruncatedJson, Does.StartWith("{\"request\":{\"splitKeys\":{\"155\""));
            Assert.That(e.SizeJson, Is.EqualTo("{\"request\":46328}"));
            Assert.That(e.Service, Is.EqualTo("S"));
        }
    }

    [TestCase("2020-06-01T13:06:59.027-0500", "2020-06-01T18:06:59.0270000+00:00")]
    [TestCase("2020-06-01T13:06:59.027Z", "2020-06-01T13:06:59.0270000+00:00")]
    [TestCase("2020-06-01T00:30:00.000+03:00", "2020-05-31T21:30:00.0000000+00:00")]
    public void Timestamps_with_any_zone_are_converted_to_utc(string written, string utc)
    {
        Assert.That(Parses(Entry("{}", date: written)).Timestamp.ToString("O"), Is.EqualTo(utc));
    }

    [Test]
    public void Number_long_date_is_read_as_unix_milliseconds()
    {
        var line = Entry("{}").Replace("\"2024-01-02T03:04:05.678+00:00\"", "{\"$numberLong\":\"-1000\"}", StringComparison.Ordinal);
        Assert.That(Parses(line).Timestamp, Is.EqualTo(Utc(1969, 12, 31, 23, 59, 59, 0)));
    }

    [Test]
    public void Debug_severity_with_level_is_kept_as_written()
    {
        Assert.That(Parses(Entry("{}").Replace("\"s\":\"I\"", "\"s\":\"D2\"", StringComparison.Ordinal)).Severity, Is.EqualTo("D2"));
    }

    [Test]
    public void Entry_without_attr_has_no_attributes()
    {
        var e = Parses("{\"t\":{\"$date\":\"2020-05-18T20:18:12.734+00:00\"},\"s\":\"W\",  \"c\":\"ASIO\",     \"id\":22601,   \"ctx\":\"main\",\"msg\":\"No TransportLayer configured during NetworkInterface startup\"}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Severity, Is.EqualTo("W"));
            Assert.That(e.AttributesJson, Is.Null);
            Assert.That(e.Message, Is.EqualTo("No TransportLayer configured during NetworkInterface startup"));
        }
    }

    [Test]
    public void Entry_without_msg_is_dead_lettered_naming_the_field()
    {
        Assert.That(Fails("{\"t\":{\"$date\":\"2020-05-18T20:18:12.734+00:00\"},\"s\":\"W\",\"c\":\"ASIO\",\"ctx\":\"main\"}"),
            Is.EqualTo("MongoDB JSON line has no string \"msg\" field"));
    }

    [Test]
    public void Date_without_zone_is_dead_lettered()
    {
        Assert.That(Fails(Entry("{}", date: "2020-05-18T20:18:12.734")),
            Is.EqualTo("MongoDB JSON line has a t.$date that is not an ISO 8601 time with a zone"));
    }

    [Test]
    public void Truncated_json_is_dead_lettered_with_the_position()
    {
        var line = SlowQuery[..200];
        Assert.That(Fails(line), Does.StartWith("MongoDB JSON line is not valid JSON at byte "));
    }

    [Test]
    public void Text_after_the_object_is_dead_lettered()
    {
        Assert.That(Fails(Entry("{}") + " trailing"), Does.StartWith("MongoDB JSON line is not valid JSON at byte "));
    }

    [Test]
    public void Escaped_lone_surrogate_is_dead_lettered_not_thrown()
    {
        var line = Entry("{}").Replace("\"msg\":\"m\"", "\"msg\":\"\\ud800\"", StringComparison.Ordinal);
        Assert.That(Fails(line), Is.EqualTo("MongoDB JSON line has a string with an invalid \\u escape"));
    }

    [Test]
    public void Deeply_nested_attributes_are_dead_lettered_not_a_stack_overflow()
    {
        var attr = new string('[', 10_000) + new string(']', 10_000);
        Assert.That(Fails(Entry(attr)), Does.StartWith("MongoDB JSON line is not valid JSON"));
    }

    [Test]
    public void Invalid_utf8_bytes_are_dead_lettered()
    {
        var bytes = Encoding.UTF8.GetBytes(SlowQuery);
        bytes[100] = 0xC3;
        bytes[101] = 0x28;
        Assert.That(MongodbLogParser.Parse(bytes).Error, Is.EqualTo("MongoDB line is not valid UTF-8"));
    }

    [Test]
    public void Utf8_bytes_parse_like_the_string()
    {
        var fromBytes = MongodbLogParser.Parse(Encoding.UTF8.GetBytes("  " + SlowQuery + "\n")).Value;
        Assert.That(fromBytes, Is.EqualTo(Parses(SlowQuery) with { Tags = fromBytes!.Tags }));
    }

    [Test]
    public void Very_long_attribute_is_kept_whole()
    {
        var big = new string('x', 2_000_000);
        var e = Parses(Entry($"{{\"big\":\"{big}\",\"ns\":\"a.b\"}}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.AttributesJson, Has.Length.EqualTo(big.Length + "{\"big\":\"\",\"ns\":\"a.b\"}".Length));
            Assert.That(e.Namespace, Is.EqualTo("a.b"));
        }
    }

    [TestCase("{}", "MongoDB JSON line has no t.$date timestamp")]
    [TestCase("{\"t\":5}", "MongoDB JSON line has no t.$date timestamp")]
    [TestCase("{\"t\":{\"$date\":\"2024-01-02T03:04:05.678Z\"},\"s\":1}", "MongoDB JSON line has no string \"s\" field")]
    public void Json_object_that_is_not_a_log_entry_is_dead_lettered(string line, string reason)
    {
        Assert.That(Fails(line), Is.EqualTo(reason));
    }

    [Test]
    public void Json_array_is_not_taken_for_json_and_is_dead_lettered_as_text()
    {
        Assert.That(Fails("[1,2,3]"), Is.EqualTo("MongoDB legacy line does not start with an ISO 8601 or ctime time: '[1,2,3]'"));
    }

    [Test]
    public void Escaped_property_name_is_read_as_its_unescaped_name()
    {
        var e = Parses("{\"t\":{\"$date\":\"2024-01-02T03:04:05.678+00:00\"},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":1,\"ctx\":\"listener\",\"msg\":\"m\",\"\\u0061ttr\":{\"ns\":\"a.b\"}}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.AttributesJson, Is.EqualTo("{\"ns\":\"a.b\"}"));
            Assert.That(e.Namespace, Is.EqualTo("a.b"));
            Assert.That(e.Database, Is.EqualTo("a"));
        }
    }

    [Test]
    public void Repeated_field_keeps_its_last_value()
    {
        var e = Parses("{\"t\":{\"$date\":\"2024-01-02T03:04:05.678+00:00\",\"$date\":\"2025-01-02T03:04:05Z\"},\"s\":\"I\",\"s\":\"W\",\"c\":\"NETWORK\",\"ctx\":\"listener\",\"msg\":\"m\"}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Severity, Is.EqualTo("W"));
            Assert.That(e.Timestamp, Is.EqualTo(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        }
    }

    [Test]
    public void Fractional_duration_is_rounded_to_whole_milliseconds()
    {
        Assert.That(Parses(Entry("{\"durationMillis\":1.5}")).DurationMillis, Is.EqualTo(2));
    }

    // A bad time is reported even when a later string could not be decoded; an earlier one is reported first.
    [TestCase("{\"t\":{\"$date\":\"bad\"},\"s\":\"\\ud800\",\"c\":\"N\",\"ctx\":\"l\",\"msg\":\"m\"}", "MongoDB JSON line has a t.$date that is not an ISO 8601 time with a zone")]
    [TestCase("{\"s\":\"\\ud800\",\"t\":{\"$date\":\"bad\"},\"c\":\"N\",\"ctx\":\"l\",\"msg\":\"m\"}", "MongoDB JSON line has a string with an invalid \\u escape")]
    [TestCase("{\"t\":{\"$date\":\"bad\"},\"s\":\"I\"} {}", "MongoDB JSON line is not valid JSON at byte 30: '{' is invalid after a single JSON value. Expected end of data.")]
    public void First_problem_in_line_order_is_the_reason(string line, string reason)
    {
        Assert.That(Fails(line), Is.EqualTo(reason));
    }
}
