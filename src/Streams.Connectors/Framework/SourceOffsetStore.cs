using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Streams.Runtime;
using Streams.Runtime.Topics;

namespace Streams.Connectors.Framework;

/// <summary>
/// Source offsets in the compacted offsets topic, as Kafka Connect keeps them: key <c>&lt;connector&gt;/&lt;source partition&gt;</c>,
/// value the offset as JSON, the latest value per key wins and an empty value forgets the key.
/// </summary>
internal sealed class SourceOffsetStore<TOffset>(SourceConnectorOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _prefix = options.Name + "/";

    public byte[] Key(string sourcePartition) => Encoding.UTF8.GetBytes(_prefix + sourcePartition);

    public static byte[] Value(TOffset offset) => JsonSerializer.SerializeToUtf8Bytes(offset, Json);

    public static TOffset Parse(byte[] value) =>
        JsonSerializer.Deserialize<TOffset>(value, Json) ?? throw new JsonException("the offset is JSON null");

    /// <summary>This connector's committed offsets, read with read_committed to the end of the topic.</summary>
    public Dictionary<string, TOffset> ReadAll(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, TOffset>(StringComparer.Ordinal);
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "streams-connect-offsets-reader",
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        var found = CompactedTopicReader.TryReadToEnd(config, options.OffsetsTopic, options.RequestTimeout, r =>
        {
            var key = r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : string.Empty;
            if (!key.StartsWith(_prefix, StringComparison.Ordinal))
            {
                return;
            }

            var partition = key[_prefix.Length..];
            if (r.Message.Value is not { Length: > 0 } value)
            {
                result.Remove(partition);
                return;
            }

            result[partition] = Parse(value);
        }, cancellationToken);

        return found ? result : throw new StreamsConfigException("offsets.topic", $"names '{options.OffsetsTopic}', which does not exist; create it (compacted, 1 partition) first");
    }
}
