using System.Text;
using Confluent.Kafka;

namespace Streams.EndToEnd;

/// <summary>Whole topics as a downstream consumer reads them (the engine's reader): committed records only.</summary>
internal static class TopicReader
{
    public static List<ConsumeResult<byte[], byte[]>> ReadCommitted(string bootstrapServers, string topic) =>
        ReadCommitted(bootstrapServers, [topic])[topic];

    /// <summary>Every committed record of each topic, read to its end by one consumer (one connection to each broker).</summary>
    public static Dictionary<string, List<ConsumeResult<byte[], byte[]>>> ReadCommitted(string bootstrapServers, IReadOnlyCollection<string> topics)
    {
        var client = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = bootstrapServers,
            ["fetch.max.bytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fetch.wait.max.ms"] = "10",
        };
        var records = topics.ToDictionary(t => t, _ => new List<ConsumeResult<byte[], byte[]>>(), StringComparer.Ordinal);
        foreach (var r in Runtime.Topics.TopicReader.ReadToEnd(client, topics, TimeSpan.FromSeconds(30)))
        {
            records[r.Topic].Add(r);
        }

        return records;
    }

    public static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers is { } headers && headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;
}
