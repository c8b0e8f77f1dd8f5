using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Topics;

namespace Streams.Runtime.Tests.Topics;

/// <summary>
/// No real Kafka runs here, so only what the mock brokers allow is checked: they answer metadata but have no
/// controller, so the admin requests (DescribeConfigs and the rest) time out; that must surface, not hang.
/// </summary>
[TestFixture]
public sealed class KafkaTopicAdminTests
{
    [Test]
    public async Task Reading_configs_from_a_cluster_without_an_admin_api_fails_within_the_request_timeout()
    {
        await using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("raw.a", 2, 3);
        using var admin = new KafkaTopicAdmin(cluster.BootstrapServers, requestTimeout: TimeSpan.FromSeconds(2));

        var failure = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeTopicsAsync());

        Assert.That(failure!.Message, Does.Contain("controller").Or.Contain("Timed out"));
    }

    [Test]
    public async Task Client_settings_are_passed_to_librdkafka_which_rejects_an_unknown_one()
    {
        await using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);

        Assert.That(
            () => new KafkaTopicAdmin(cluster.BootstrapServers, new Dictionary<string, string> { ["no.such.setting"] = "1" }),
            Throws.InvalidOperationException.With.Message.Contains("no.such.setting"));
    }
}
