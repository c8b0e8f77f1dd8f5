using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Streams.Runtime.Topics;

/// <summary>Topics on a real Kafka cluster through Confluent.Kafka's AdminClient.</summary>
public sealed class KafkaTopicAdmin : ITopicAdmin
{
    internal static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DeletionPoll = TimeSpan.FromMilliseconds(250);
    private readonly IAdminClient _admin;
    private readonly TimeSpan _timeout;

    /// <param name="clientSettings">librdkafka settings such as TLS and SASL.</param>
    /// <param name="requestTimeout">How long each admin request may take; 30 s by default.</param>
    public KafkaTopicAdmin(string bootstrapServers, IReadOnlyDictionary<string, string>? clientSettings = null, TimeSpan? requestTimeout = null)
    {
        var config = new AdminClientConfig(clientSettings?.ToDictionary() ?? []) { BootstrapServers = bootstrapServers };
        _admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        _timeout = requestTimeout ?? DefaultRequestTimeout;
    }

    public string? ConfigLimitation => null;

    public async Task<IReadOnlyList<ClusterTopic>> DescribeTopicsAsync(CancellationToken cancellationToken = default)
    {
        var topics = ReadMetadata(_admin, _timeout);
        if (topics.Count == 0)
        {
            return [];
        }

        var resources = topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t.Name }).ToList();
        var described = await _admin.DescribeConfigsAsync(resources, new DescribeConfigsOptions { RequestTimeout = _timeout });
        var configs = described.ToDictionary(
            r => r.ConfigResource.Name,
            r => (IReadOnlyDictionary<string, string>)r.Entries.Values
                .Where(e => e.Value is not null)
                .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
        return topics.Select(t => t with { Configs = configs.GetValueOrDefault(t.Name) }).ToList();
    }

    public Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken = default) =>
        _admin.CreateTopicsAsync(
            topics.Select(t => new TopicSpecification
            {
                Name = t.Name,
                NumPartitions = t.Partitions,
                ReplicationFactor = (short)t.ReplicationFactor,
                Configs = t.Configs.ToDictionary(),
            }),
            new CreateTopicsOptions { RequestTimeout = _timeout });

    public Task IncreasePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default) =>
        _admin.CreatePartitionsAsync(
            [new PartitionsSpecification { Topic = topic, IncreaseTo = totalPartitions }],
            new CreatePartitionsOptions { RequestTimeout = _timeout });

    public Task AlterConfigsAsync(string topic, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
        _admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [new ConfigResource { Type = ResourceType.Topic, Name = topic }] =
                    configs.Select(c => new ConfigEntry { Name = c.Key, Value = c.Value, IncrementalOperation = AlterConfigOpType.Set }).ToList(),
            },
            new IncrementalAlterConfigsOptions { RequestTimeout = _timeout });

    /// <summary>Deletes, then waits until metadata no longer lists the topics: Kafka deletes asynchronously, and a recreate would fail before.</summary>
    public async Task DeleteTopicsAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        await _admin.DeleteTopicsAsync(topics, new DeleteTopicsOptions { RequestTimeout = _timeout });
        var deadline = DateTime.UtcNow + _timeout;
        while (ReadMetadata(_admin, _timeout).Any(t => topics.Contains(t.Name)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"topics still listed {_timeout.TotalSeconds} s after deletion: {string.Join(", ", topics)}");
            }

            await Task.Delay(DeletionPoll, cancellationToken);
        }
    }

    public void Dispose() => _admin.Dispose();

    /// <summary>Partitions and replication factor from a metadata request; configs are left null for the caller to fill.</summary>
    internal static List<ClusterTopic> ReadMetadata(IAdminClient admin, TimeSpan timeout)
    {
        var metadata = admin.GetMetadata(timeout);
        return metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
            .Select(t => new ClusterTopic(t.Topic, t.Partitions.Count, t.Partitions.Count == 0 ? 0 : t.Partitions.Max(p => p.Replicas.Length), null))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }
}
