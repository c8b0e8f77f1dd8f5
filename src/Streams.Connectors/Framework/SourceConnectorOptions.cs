using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Framework;

/// <summary>Settings of one source connector; <see cref="Validate"/> names the key of the first wrong one.</summary>
public sealed record SourceConnectorOptions
{
    public const string DefaultOffsetsTopic = "_streams.connect.offsets";
    public const string DefaultDeadLetterTopic = "dlq.connect";

    public const int DefaultMaxRecordBytes = 990_000;

    /// <summary>connector.name: the offsets key prefix and the transactional id suffix.</summary>
    public required string Name { get; init; }

    /// <summary>bootstrap.servers</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>topic: where the records go (raw.&lt;source&gt;).</summary>
    public required string Topic { get; init; }

    /// <summary>offsets.topic: compacted, one partition, shared by connectors.</summary>
    public string OffsetsTopic { get; init; } = DefaultOffsetsTopic;

    /// <summary>errors.deadletterqueue.topic.name: where input the task cannot read goes, as in Kafka Connect.</summary>
    public string DeadLetterTopic { get; init; } = DefaultDeadLetterTopic;

    /// <summary>poll.interval.ms: the wait after a poll that returned nothing.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>batch.size: most records in one transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// max.record.bytes: the largest record (key and value) sent to the raw topic; larger ones are dead-lettered.
    /// Below the producer's message.max.bytes (1,000,000) by a margin for the batch header.
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>request.timeout.ms: bound on init, flush and commit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>schema.registry.url and friends.</summary>
    public required SchemaRegistrySettings SchemaRegistry { get; init; }

    /// <summary>Fixed per connector so that a restarted instance fences the one it replaces.</summary>
    public string TransactionalId => "streams-connect-" + Name;

    public SourceConnectorOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains('/', StringComparison.Ordinal))
        {
            throw new StreamsConfigException("connector.name", "must be a non-empty name without '/'");
        }

        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new StreamsConfigException("bootstrap.servers", "must list at least one host:port");
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            throw new StreamsConfigException("topic", "must name the topic the records go to");
        }

        if (string.IsNullOrWhiteSpace(OffsetsTopic) || OffsetsTopic == Topic)
        {
            throw new StreamsConfigException("offsets.topic", "must name a compacted topic other than 'topic'");
        }

        if (string.IsNullOrWhiteSpace(DeadLetterTopic) || DeadLetterTopic == Topic || DeadLetterTopic == OffsetsTopic)
        {
            throw new StreamsConfigException(StreamsConfig.DeadLetterTopicKey, "must name a topic other than 'topic' and 'offsets.topic'");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(5))
        {
            throw new StreamsConfigException("poll.interval.ms", "must be between 1 ms and 5 minutes");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            throw new StreamsConfigException("batch.size", "must be between 1 and 100000");
        }

        if (MaxRecordBytes is < 1024 or > 100 * 1024 * 1024)
        {
            throw new StreamsConfigException("max.record.bytes", "must be between 1024 and 104857600");
        }

        if (RequestTimeout < TimeSpan.FromSeconds(1))
        {
            throw new StreamsConfigException("request.timeout.ms", "must be at least 1000");
        }

        if (SchemaRegistry is null || string.IsNullOrWhiteSpace(SchemaRegistry.Url))
        {
            throw new StreamsConfigException("schema.registry.url", "must be set (mock://<scope> for the embedded registry)");
        }

        return this;
    }
}
