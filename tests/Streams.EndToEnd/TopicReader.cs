using System.Text;
using Confluent.Kafka;

namespace Streams.EndToEnd;

/// <summary>Reads whole topics as a downstream consumer would: committed records only.</summary>
internal static class TopicReader
{
    public static List<ConsumeResult<byte[], byte[]>> ReadCommitted(string bootstrapServers, string topic) =>
        ReadCommitted(bootstrapServers, [topic])[topic];

    /// <summary>Every committed record of each topic, read to its end by one consumer (one connection to each broker).</summary>
    public static Dictionary<string, List<ConsumeResult<byte[], byte[]>>> ReadCommitted(string bootstrapServers, IReadOnlyCollection<string> topics)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "e2e-verify-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            FetchMaxBytes = 64 * 1024 * 1024,
            FetchWaitMaxMs = 10,
        }).SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var partitions = topics
            .SelectMany(topic => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
                .Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)))
            .ToList();
        consumer.Assign(partitions);
        var atEnd = new HashSet<TopicPartition>();
        var records = topics.ToDictionary(t => t, _ => new List<ConsumeResult<byte[], byte[]>>(), StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (atEnd.Count < partitions.Count && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                atEnd.Add(r.TopicPartition);
                continue;
            }

            records[r.Topic].Add(r);
        }

        return atEnd.Count == partitions.Count
            ? records
            : throw new TimeoutException($"{string.Join(", ", topics)}: not read to the end in 30 s");
    }

    public static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers is { } headers && headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;
}
