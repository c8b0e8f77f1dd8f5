using NUnit.Framework;
using Streams.Topology.Mongodb;
using static Streams.Topology.Tests.Mongodb.MongodbAssert;

namespace Streams.Topology.Tests.Mongodb;

/// <summary>The mongod 3.2-era text log lines of tests/corpus.</summary>
public class MongodbLegacyCorpusTests
{
    private static readonly string[] Lines = Corpus.Lines("mongodb-3.2-legacy.log");

    [Test]
    public void Every_corpus_legacy_line_parses_as_legacy()
    {
        var formats = Lines.Select(l => Parses(l).Format).Distinct();
        Assert.That(formats, Is.EqualTo(new[] { MongodbLogFormat.Legacy }));
    }

    [Test]
    public void Header_gives_utc_time_severity_component_context_and_message()
    {
        var e = Parses(Lines[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2018, 2, 5, 12, 44, 56, 657)));
            Assert.That(e.Severity, Is.EqualTo("I"));
            Assert.That(e.Component, Is.EqualTo("CONTROL"));
            Assert.That(e.Context, Is.EqualTo("initandlisten"));
            Assert.That(e.Message, Is.EqualTo("git version: 009580ad490190ba33d1c6253ebd8d91808923e4"));
            Assert.That(e.Id, Is.Null);
            Assert.That(e.AttributesJson, Is.Null);
        }
    }

    [Test]
    public void End_connection_gives_the_remote_address()
    {
        var e = Parses(Lines[3]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Component, Is.EqualTo("NETWORK"));
            Assert.That(e.Context, Is.EqualTo("conn1"));
            Assert.That(e.Remote, Is.EqualTo("127.0.0.1:55404"));
            Assert.That(e.RemoteIp, Is.EqualTo("127.0.0.1"));
            Assert.That(e.RemotePort, Is.EqualTo(55404));
        }
    }

    [Test]
    public void Connection_accepted_gives_the_remote_address()
    {
        var e = Parses(Lines[4]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2018, 2, 5, 12, 50, 55, 487)));
            Assert.That(e.Message, Is.EqualTo("connection accepted from 127.0.0.1:55406 #2 (1 connection now open)"));
            Assert.That(e.RemoteIp, Is.EqualTo("127.0.0.1"));
            Assert.That(e.RemotePort, Is.EqualTo(55406));
        }
    }

    [Test]
    public void Message_with_braces_is_kept_whole()
    {
        var e = Parses(Lines[5]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith("options: { config: \"/etc/mongodb.conf\""));
            Assert.That(e.Message, Does.EndWith("path: \"/var/log/mongodb/mongodb.log\" } }"));
        }
    }

    [Test]
    public void Context_with_dashes_and_outbound_connection_give_no_client_or_duration()
    {
        var e = Parses(Lines[7]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Timestamp, Is.EqualTo(Utc(2019, 3, 7, 15, 10, 26, 960)));
            Assert.That(e.Component, Is.EqualTo("ASIO"));
            Assert.That(e.Context, Is.EqualTo("NetworkInterfaceASIO-Replication-0"));
            Assert.That(e.Remote, Is.Null);
            Assert.That(e.DurationMillis, Is.Null);
        }
    }

    [Test]
    public void Error_severity_and_write_component_are_read()
    {
        var e = Parses(Lines[8]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Severity, Is.EqualTo("E"));
            Assert.That(e.Component, Is.EqualTo("WRITE"));
            Assert.That(e.Message, Does.StartWith("** ERROR: A write operation resulted in an error. E11000"));
            Assert.That(e.Namespace, Is.Null);
        }
    }
}
