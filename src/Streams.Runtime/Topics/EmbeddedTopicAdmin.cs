using Confluent.Kafka;
using Streams.Runtime.Embedded;

namespace Streams.Runtime.Topics;

/// <summary>
/// Topics on an <see cref="EmbeddedKafkaCluster"/>. librdkafka's mock brokers answer metadata requests but have no
/// admin API: topics are created through the mock itself, and configs can be neither set nor read.
/// </summary>
public sealed class EmbeddedTopicAdmin : ITopicAdmin
{
    private readonly EmbeddedKafkaCluster _cluster;
    private readonly IAdminClient _metadata;

    public EmbeddedTopicAdmin(EmbeddedKafkaCluster cluster)
    {
        _cluster = cluster;
        _metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
    }

    public string? ConfigLimitation =>
        "the embedded cluster (librdkafka's mock brokers) has no DescribeConfigs or AlterConfigs: topic configs were neither applied nor compared";

    public Task<IReadOnlyList<ClusterTopic>> DescribeTopicsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ClusterTopic>>(KafkaTopicAdmin.ReadMetadata(_metadata, KafkaTopicAdmin.DefaultRequestTimeout));

    /// <summary>Creates each topic with its partitions and replication factor (capped at the broker count); configs are dropped.</summary>
    public Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        foreach (var topic in topics)
        {
            _cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor);
        }

        return Task.CompletedTask;
    }

    public Task IncreasePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"the embedded cluster cannot add partitions to '{topic}': librdkafka's mock has no CreatePartitions");

    public Task AlterConfigsAsync(string topic, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
    throw new NotSupportedException($"the embedded cluster cannot alter configs of '{topic}': librdkafka's mock has no AlterConfigs");

    public Task DeleteTopicsAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the embedded cluster cannot delete topics: librdkafka's mock has no DeleteTopics");

    public void Dispose() => _metadata.Dispose();
}
