namespace Streams.Runtime.Topics;

/// <summary>
/// A topic as a cluster reports it. <see cref="Configs"/> is null when the cluster cannot report configs
/// (librdkafka's mock brokers have no DescribeConfigs), which a plan shows instead of treating as equal.
/// </summary>
public sealed record ClusterTopic(string Name, int Partitions, int ReplicationFactor, IReadOnlyDictionary<string, string>? Configs);
