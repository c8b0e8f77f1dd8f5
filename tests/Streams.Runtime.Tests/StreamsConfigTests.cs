namespace Streams.Runtime.Tests;

[TestFixture]
public sealed class StreamsConfigTests
{
    private static Dictionary<string, string> Minimal() => new()
    {
        ["application.id"] = "curation",
        ["bootstrap.servers"] = "localhost:9092",
    };

    [Test]
    public void Kafka_Streams_names_are_read_and_the_rest_passes_to_the_clients()
    {
        var p = Minimal();
        p["processing.guarantee"] = "exactly_once_v2";
        p["num.stream.threads"] = "3";
        p["security.protocol"] = "SASL_SSL";
        p["producer.linger.ms"] = "20";
        p["exactly.once.hold.output"] = "false";
        p["exactly.once.overlap.commit"] = "false";
        var config = StreamsConfig.FromProperties(p);
        Assert.Multiple(() =>
        {
            Assert.That(config.ExactlyOnce, Is.True);
            Assert.That(config.HoldOutput, Is.False);
            Assert.That(StreamsConfig.FromProperties(Minimal()).HoldOutput, Is.True, "output is held by default");
            Assert.That(config.OverlapCommit, Is.False);
            Assert.That(StreamsConfig.FromProperties(Minimal()).OverlapCommit, Is.True, "commits overlap the processing by default");
            Assert.That(config.EffectiveCommitInterval, Is.EqualTo(TimeSpan.FromMilliseconds(100)), "100 ms under exactly-once by default");
            Assert.That(config.NumStreamThreads, Is.EqualTo(3));
            Assert.That(config.ClientSettings["security.protocol"], Is.EqualTo("SASL_SSL"));
            Assert.That(config.ClientSettings["producer.linger.ms"], Is.EqualTo("20"));
            Assert.That(config.ClientSettings, Does.Not.ContainKey("num.stream.threads"));
            Assert.That(config.ClientSettings, Does.Not.ContainKey("exactly.once.hold.output"));
            Assert.That(config.ClientSettings, Does.Not.ContainKey("exactly.once.overlap.commit"));
        });
    }

    [TestCase("application.id", null, "configuration 'application.id' is required")]
    [TestCase("processing.guarantee", "exactly_once", "configuration 'processing.guarantee' 'exactly_once' is not one of")]
    [TestCase("num.stream.threads", "zero", "configuration 'num.stream.threads' 'zero' must be a whole number")]
    [TestCase("commit.interval.ms", "-5", "configuration 'commit.interval.ms'")]
    [TestCase("exactly.once.hold.output", "yes", "configuration 'exactly.once.hold.output' 'yes' must be true or false")]
    [TestCase("exactly.once.overlap.commit", "1", "configuration 'exactly.once.overlap.commit' '1' must be true or false")]
    [TestCase("default.deserialization.exception.handler", "continue-to-dlq", "configuration 'errors.deadletterqueue.topic.name' is required")]
    [TestCase("application.id", "has space", "configuration 'application.id' 'has space' must be")]
    public void A_bad_setting_fails_at_start_naming_the_key(string key, string? value, string message)
    {
        var p = Minimal();
        if (value is null)
        {
            p.Remove(key);
        }
        else
        {
            p[key] = value;
        }

        var ex = Assert.Throws<StreamsConfigException>(() => StreamsConfig.FromProperties(p));
        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [Test]
    public void Environment_variables_map_to_dotted_names()
    {
        var env = new System.Collections.Hashtable
        {
            ["STREAMS_APPLICATION_ID"] = "curation",
            ["STREAMS_BOOTSTRAP_SERVERS"] = "b:9092",
            ["STREAMS_NUM_STREAM_THREADS"] = "2",
            ["OTHER"] = "x",
        };
        var config = StreamsConfig.FromProperties(StreamsConfig.FromEnvironment(env));
        Assert.That((config.ApplicationId, config.BootstrapServers, config.NumStreamThreads), Is.EqualTo(("curation", "b:9092", 2)));
    }
}
