namespace Streams.Runtime.Topics;

/// <summary>Reads and changes a cluster's topics; one implementation per kind of cluster.</summary>
public interface ITopicAdmin : IDisposable
{
    /// <summary>What this cluster cannot do with topic configs, said in the output; null when it can do everything.</summary>
    string? ConfigLimitation { get; }

    /// <summary>Every non-internal topic, with configs when the cluster reports them.</summary>
    Task<IReadOnlyList<ClusterTopic>> DescribeTopicsAsync(CancellationToken cancellationToken = default);

    Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken = default);

    Task IncreasePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default);

    Task AlterConfigsAsync(string topic, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default);

    Task DeleteTopicsAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default);
}
