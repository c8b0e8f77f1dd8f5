using Confluent.Kafka;
using Streams.Runtime;

namespace Streams.Connectors.Elasticsearch;

/// <summary>The <c>__streams.errors.*</c> headers the engine's dead letters carry, plus <c>es.type</c>/<c>es.reason</c>.</summary>
public static class DeadLetterHeaders
{
    public const string Prefix = DeadLetters.HeaderPrefix;
    public const string Stage = "sink";

    public static Headers For(ConsumeResult<byte[], byte[]> record, string reason, Exception? exception, string? esType = null, string? esReason = null) =>
        DeadLetters.Headers(
            record,
            Stage,
            reason,
            exception,
            esType is null && esReason is null ? null : [new("es.type", esType), new("es.reason", esReason)]);
}
