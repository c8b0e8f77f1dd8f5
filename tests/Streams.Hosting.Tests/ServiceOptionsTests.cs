using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Streams.Runtime;

namespace Streams.Hosting.Tests;

[TestFixture]
public sealed class ServiceOptionsTests
{
    [Test]
    public void The_service_keys_are_read_and_taken_out_of_what_reaches_kafka()
    {
        var (options, remaining) = ServiceOptions.Split(new Dictionary<string, string>
        {
            ["http.port"] = "9100",
            ["log.format"] = "TEXT",
            ["log.level"] = "warning",
            ["bootstrap.servers"] = "kafka:9092",
        });
        Assert.That((options.HttpPort, options.LogFormat, options.LogLevel), Is.EqualTo((9100, "text", LogLevel.Warning)));
        Assert.That(remaining.Keys, Is.EquivalentTo(new[] { "bootstrap.servers" }));
    }

    [Test]
    public void Defaults_are_port_8080_and_json_logs()
    {
        var (options, _) = ServiceOptions.Split(new Dictionary<string, string>());
        Assert.That((options.HttpPort, options.LogFormat, options.LogLevel), Is.EqualTo((8080, "json", LogLevel.Information)));
    }

    [TestCase("http.port", "http")]
    [TestCase("http.port", "70000")]
    [TestCase("http.port", "-1")]
    [TestCase("log.format", "xml")]
    [TestCase("log.level", "loud")]
    public void A_bad_value_names_its_key(string key, string value)
    {
        var ex = Assert.Throws<StreamsConfigException>(() => ServiceOptions.Split(new Dictionary<string, string> { [key] = value }));
        Assert.That(ex!.Key, Is.EqualTo(key));
    }
}
