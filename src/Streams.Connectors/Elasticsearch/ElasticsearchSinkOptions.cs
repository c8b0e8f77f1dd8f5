using Streams.Runtime;

namespace Streams.Connectors.Elasticsearch;

/// <summary>The Kafka side of the sink: what to read, as which group, where dead letters go.</summary>
public sealed class ElasticsearchSinkOptions
{
    public const string GroupIdKey = "sink.group.id";
    public const string TopicsKey = "sink.topics";
    public const string DeadLetterTopicKey = "sink.dlq.topic";
    public const string CommitIntervalKey = "sink.commit.interval.ms";
    public const string CloseTimeoutKey = "sink.close.timeout.ms";
    public const string MaxRecordsInFlightKey = "sink.max.records.in.flight";

    public required string BootstrapServers { get; init; }

    public string GroupId { get; init; } = "streams-elasticsearch-sink";

    public required IReadOnlyList<string> Topics { get; init; }

    public string DeadLetterTopic { get; init; } = "dlq.sink";

    /// <summary>How often completed positions are committed while running.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop waits for outstanding documents before committing what is done.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Above this many unfinished records the sink pauses its partitions (and keeps polling, so it stays in the group)
    /// until half are done. Keep it below the target's queue (BulkIndexer: max docs × (in-flight + 2)) so adding never waits long.
    /// </summary>
    public int MaxRecordsInFlight { get; init; } = 6000;

    /// <summary>Extra librdkafka settings for both clients (TLS, SASL, …); "consumer."/"producer." prefixes target one.</summary>
    public IReadOnlyDictionary<string, string> ClientSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads "sink.*" keys plus bootstrap.servers; other "consumer."/"producer." keys become client settings.</summary>
    public static ElasticsearchSinkOptions FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var settings = new Settings(properties);
        var options = new ElasticsearchSinkOptions
        {
            BootstrapServers = settings.Required(StreamsConfig.BootstrapServersKey),
            GroupId = settings.Text(GroupIdKey) ?? "streams-elasticsearch-sink",
            Topics = settings.List(TopicsKey, []) is { Count: > 0 } topics ? topics : throw new StreamsConfigException(TopicsKey, "is required"),
            DeadLetterTopic = settings.Text(DeadLetterTopicKey) ?? "dlq.sink",
            CommitInterval = settings.Millis(CommitIntervalKey, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)),
            CloseTimeout = settings.Millis(CloseTimeoutKey, TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            MaxRecordsInFlight = settings.Integer(MaxRecordsInFlightKey, 6000, 1, 10_000_000),
            ClientSettings = properties
                .Where(kv => kv.Key.StartsWith("consumer.", StringComparison.Ordinal) || kv.Key.StartsWith("producer.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new StreamsConfigException(StreamsConfig.BootstrapServersKey, "is required");
        }

        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new StreamsConfigException(GroupIdKey, "is required");
        }

        if (Topics.Count == 0 || Topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new StreamsConfigException(TopicsKey, "needs at least one topic and no blank names");
        }

        if (string.IsNullOrWhiteSpace(DeadLetterTopic) || Topics.Contains(DeadLetterTopic))
        {
            throw new StreamsConfigException(DeadLetterTopicKey, "is required and must not be one of the consumed topics");
        }

        if (CommitInterval <= TimeSpan.Zero)
        {
            throw new StreamsConfigException(CommitIntervalKey, "must be positive");
        }

        if (MaxRecordsInFlight < 1)
        {
            throw new StreamsConfigException(MaxRecordsInFlightKey, "must be at least 1");
        }

        if (CloseTimeout < TimeSpan.Zero)
        {
            throw new StreamsConfigException(CloseTimeoutKey, "must not be negative");
        }
    }
}
