using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Mongodb;
using Streams.Topology.Normalising;
using Streams.Topology.Tests.Normalising;
using static Streams.Topology.Tests.Mongodb.MongodbAssert;

namespace Streams.Topology.Tests.Mongodb;

public sealed class MongodbNormaliserTests
{
    private static readonly string[] JsonLines = Corpus.Lines("mongodb-4.4-json.log");
    private static readonly string[] LegacyLines = Corpus.Lines("mongodb-3.2-legacy.log");

    // The "Slow query" example of the MongoDB manual (Log Messages, Slow Operation), shortened, on one line.
    private const string SlowQuery =
        "{\"t\":{\"$date\":\"2023-05-24T13:46:27.853+00:00\"},\"s\":\"I\",  \"c\":\"COMMAND\",  \"id\":51803,   \"ctx\":\"conn3\"," +
        "\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"db.coll\",\"appName\":\"MongoDB Shell\"," +
        "\"command\":{\"find\":\"coll\",\"filter\":{\"b\":-1},\"$db\":\"db\"},\"planSummary\":\"COLLSCAN\",\"docsExamined\":232922," +
        "\"remote\":\"127.0.0.1:47150\",\"protocol\":\"op_msg\",\"durationMillis\":111}}";

    private static MongodbCurated Normalise(string line) => MongodbNormaliser.Normalise(Parses(line), Contexts.For("mongo-1"));

    private static MongodbCurated JsonLine(string message) =>
        Normalise(JsonLines.Single(line => line.Contains($"\"msg\":\"{message}\"", StringComparison.Ordinal)));

    [Test]
    public void Every_corpus_line_is_a_database_event_of_the_mongodb_log_dataset_with_a_lower_case_level()
    {
        var records = JsonLines.Concat(LegacyLines).Select(Normalise).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.@event.dataset), Is.All.EqualTo("mongodb.log"));
            Assert.That(records.Select(r => r.@event.module), Is.All.EqualTo("mongodb"));
            Assert.That(records.Select(r => r.@event.category[0]), Is.All.EqualTo("database"));
            Assert.That(records.Select(r => r.log.level), Is.All.AnyOf("info", "error"));
            Assert.That(records.Select(r => r.labels["origin"]), Is.All.EqualTo("mongo-1"));
        }
    }

    [Test]
    public void Json_startup_line_keeps_envelope_fields_and_attr_text_in_the_mongodb_block()
    {
        var record = Normalise(JsonLines[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.timestamp, Is.EqualTo(new DateTime(2021, 3, 22, 21, 21, 20, 349, DateTimeKind.Utc)));
            Assert.That(record.message, Is.EqualTo("MongoDB starting"));
            Assert.That(record.log.level, Is.EqualTo("info"));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "info" }));
            Assert.That(record.mongodb.severity, Is.EqualTo("I"));
            Assert.That(record.mongodb.component, Is.EqualTo("STORAGE"));
            Assert.That(record.mongodb.context, Is.EqualTo("initandlisten"));
            Assert.That(record.mongodb.id, Is.EqualTo(4615611L));
            Assert.That(record.mongodb.attr, Does.StartWith("{\"pid\":1,"));
            Assert.That(record.mongodb.tags, Is.Null);
            Assert.That(record.source, Is.Null);
        }
    }

    [Test]
    public void Failed_authentication_is_an_authentication_failure_with_user_and_source()
    {
        var record = JsonLine("Authentication failed");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.@event.category, Is.EqualTo(new[] { "database", "authentication" }));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "start" }));
            Assert.That(record.@event.outcome, Is.EqualTo("failure"));
            Assert.That(record.user.name, Is.EqualTo("sherlock"));
            Assert.That(record.source.ip, Is.EqualTo("10.10.10.10"));
            Assert.That(record.source.port, Is.EqualTo(52088));
            Assert.That(record.source.address, Is.EqualTo("10.10.10.10:52088"));
            // +03:00 in the log is converted to UTC.
            Assert.That(record.timestamp, Is.EqualTo(new DateTime(2022, 7, 5, 10, 13, 20, 632, DateTimeKind.Utc)));
        }
    }

    [Test]
    public void Successful_authentication_succeeds_and_refused_authorization_is_denied_access()
    {
        var succeeded = JsonLine("Authentication succeeded");
        var refused = JsonLine("Checking authorization failed");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(succeeded.@event.outcome, Is.EqualTo("success"));
            Assert.That(succeeded.@event.category, Does.Contain("authentication"));
            Assert.That(refused.@event.type, Is.EqualTo(new[] { "access", "denied" }));
            Assert.That(refused.@event.outcome, Is.EqualTo("failure"));
        }
    }

    [Test]
    public void Slow_query_duration_becomes_nanoseconds_with_namespace_and_plan()
    {
        var record = Normalise(SlowQuery);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.@event.duration, Is.EqualTo(111_000_000L));
            Assert.That(record.mongodb.ns, Is.EqualTo("db.coll"));
            Assert.That(record.mongodb.plan_summary, Is.EqualTo("COLLSCAN"));
            Assert.That(record.source.ip, Is.EqualTo("127.0.0.1"));
            Assert.That(record.source.port, Is.EqualTo(47150));
        }
    }

    [Test]
    public void Legacy_connection_lines_start_and_end_network_connections()
    {
        var ended = Normalise(LegacyLines.Single(l => l.Contains("end connection", StringComparison.Ordinal)));
        var accepted = Normalise(LegacyLines.Single(l => l.Contains("connection accepted", StringComparison.Ordinal)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted.@event.category, Is.EqualTo(new[] { "database", "network" }));
            Assert.That(accepted.@event.type, Is.EqualTo(new[] { "connection", "start" }));
            Assert.That(accepted.source.ip, Is.EqualTo("127.0.0.1"));
            Assert.That(accepted.source.port, Is.EqualTo(55406));
            Assert.That(ended.@event.type, Is.EqualTo(new[] { "connection", "end" }));
            Assert.That(ended.timestamp, Is.EqualTo(new DateTime(2018, 2, 5, 12, 50, 55, 170, DateTimeKind.Utc)));
        }
    }

    [Test]
    public void Legacy_error_severity_is_level_error_and_type_error()
    {
        var record = Normalise(LegacyLines.First(l => l.Contains(" E NETWORK ", StringComparison.Ordinal)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.log.level, Is.EqualTo("error"));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "error" }));
            Assert.That(record.mongodb.component, Is.EqualTo("NETWORK"));
        }
    }

    [TestCase("F", "fatal")]
    [TestCase("E", "error")]
    [TestCase("W", "warning")]
    [TestCase("I", "info")]
    [TestCase("D", "debug")]
    [TestCase("D3", "debug")]
    [TestCase("X", null)]
    [TestCase(null, null)]
    public void Severity_letters_map_to_ecs_level_names(string? severity, string? level) =>
        Assert.That(LogLevels.FromMongodbSeverity(severity), Is.EqualTo(level));

    [Test]
    public void Entry_with_only_required_parts_and_a_socket_remote_does_not_throw_and_gives_no_ip()
    {
        var entry = new MongodbLogEntry
        {
            Format = MongodbLogFormat.Legacy,
            Timestamp = DateTimeOffset.UnixEpoch,
            Context = null!,
            Message = null!,
            Tags = null!,
            Remote = "/tmp/mongodb-27017.sock",
            DurationMillis = long.MaxValue,
        };

        var record = MongodbNormaliser.Normalise(entry, Contexts.For("mongo-1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.source.ip, Is.Null);
            Assert.That(record.source.address, Is.EqualTo("/tmp/mongodb-27017.sock"));
            Assert.That(record.@event.duration, Is.Null);
            Assert.That(record.log, Is.Null);
            Assert.That(record.message, Is.Null);
        }
    }
}
