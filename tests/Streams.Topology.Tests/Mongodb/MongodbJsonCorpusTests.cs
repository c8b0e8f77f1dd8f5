using NUnit.Framework;
using Streams.Topology.Mongodb;
using static Streams.Topology.Tests.Mongodb.MongodbAssert;

namespace Streams.Topology.Tests.Mongodb;

/// <summary>The mongod 4.4 structured log lines of tests/corpus.</summary>
public class MongodbJsonCorpusTests
{
    private static readonly string[] Lines = Corpus.Lines("mongodb-4.4-json.log");

    [Test]
    public void Every_corpus_json_line_parses_as_json()
    {
        var formats = Lines.Select(l => Parses(l).Format).Distinct();
        Assert.That(formats, Is.EqualTo(new[] { MongodbLogFormat.Json }));
    }

    [Test]
    public void Startup_line_gives_envelope_fields_and_raw_attributes()
    {
        var e = Parses(Lines[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2021, 3, 22, 21, 21, 20, 349)));
            Assert.That(e.Timestamp.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(e.Severity, Is.EqualTo("I"));
            Assert.That(e.Component, Is.EqualTo("STORAGE"));
            Assert.That(e.Id, Is.EqualTo(4615611));
            Assert.That(e.Context, Is.EqualTo("initandlisten"));
            Assert.That(e.Message, Is.EqualTo("MongoDB starting"));
            Assert.That(e.AttributesJson, Is.EqualTo(
                "{\"pid\":1,\"port\":27017,\"dbPath\":\"/data/db\",\"architecture\":\"64-bit\",\"host\":\"6150fe65a89c\"}"));
            Assert.That(e.Remote, Is.Null);
            Assert.That(e.DurationMillis, Is.Null);
            Assert.That(e.Namespace, Is.Null);
            Assert.That(e.Tags, Is.Empty);
            Assert.That(e.TruncatedJson, Is.Null);
        }
    }

    [Test]
    public void Nested_attributes_are_kept_verbatim()
    {
        var e = Parses(Lines[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Component, Is.EqualTo("CONTROL"));
            Assert.That(e.Id, Is.EqualTo(23403));
            Assert.That(e.Message, Is.EqualTo("Build Info"));
            Assert.That(e.AttributesJson, Does.StartWith("{\"buildInfo\":{\"version\":\"4.4.4\""));
            Assert.That(e.AttributesJson, Does.EndWith("\"target_arch\":\"x86_64\"}}}"));
        }
    }

    [Test]
    public void Namespace_attribute_gives_namespace_and_its_database()
    {
        var e = Parses(Lines[3]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Is.EqualTo("createCollection"));
            Assert.That(e.Namespace, Is.EqualTo("admin.system.version"));
            Assert.That(e.Database, Is.EqualTo("admin"));
        }
    }

    [Test]
    public void Plus_three_hours_offset_is_converted_to_utc()
    {
        var e = Parses(Lines[7]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2022, 7, 5, 10, 13, 20, 632)));
            Assert.That(e.Timestamp.Offset, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [Test]
    public void Failed_authentication_gives_remote_user_and_authentication_database()
    {
        var e = Parses(Lines[7]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Component, Is.EqualTo("ACCESS"));
            Assert.That(e.Id, Is.EqualTo(20249));
            Assert.That(e.Context, Is.EqualTo("conn351460"));
            Assert.That(e.Message, Is.EqualTo("Authentication failed"));
            Assert.That(e.Remote, Is.EqualTo("10.10.10.10:52088"));
            Assert.That(e.RemoteIp, Is.EqualTo("10.10.10.10"));
            Assert.That(e.RemotePort, Is.EqualTo(52088));
            Assert.That(e.User, Is.EqualTo("sherlock"));
            Assert.That(e.Database, Is.EqualTo("db_name"));
        }
    }

    [Test]
    public void Authorization_failure_keeps_the_error_inside_the_raw_attributes()
    {
        var e = Parses(Lines[8]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2023, 3, 1, 11, 31, 9, 750)));
            Assert.That(e.Id, Is.EqualTo(20436));
            Assert.That(e.Context, Is.EqualTo("conn3137147"));
            Assert.That(e.Message, Is.EqualTo("Checking authorization failed"));
            Assert.That(e.AttributesJson, Does.Contain("\"codeName\":\"Unauthorized\""));
            Assert.That(e.Remote, Is.Null);
        }
    }

    [Test]
    public void Successful_authentication_gives_remote_user_and_database()
    {
        var e = Parses(Lines[9]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Is.EqualTo("Authentication succeeded"));
            Assert.That(e.RemoteIp, Is.EqualTo("172.18.0.7"));
            Assert.That(e.RemotePort, Is.EqualTo(60756));
            Assert.That(e.User, Is.EqualTo("sherlock"));
            Assert.That(e.Database, Is.EqualTo("admin"));
        }
    }
}
