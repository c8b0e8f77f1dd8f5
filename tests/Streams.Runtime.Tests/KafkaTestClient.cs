using Confluent.Kafka;

namespace Streams.Runtime.Tests;

/// <summary>Reads topics the way the exactly-once suite does: read_committed, from the beginning.</summary>
internal static class KafkaTestClient
{
    public static List<ConsumeResult<byte[], byte[]>> ReadCommitted(string bootstrap, string topic, int expected, TimeSpan timeout, TimeSpan? settle = null) =>
        Read(bootstrap, topic, expected, timeout, settle, IsolationLevel.ReadCommitted);

    /// <summary>Also reads records of transactions still open.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadUncommitted(string bootstrap, string topic, int expected, TimeSpan timeout, TimeSpan? settle = null) =>
        Read(bootstrap, topic, expected, timeout, settle, IsolationLevel.ReadUncommitted);

    private static List<ConsumeResult<byte[], byte[]>> Read(string bootstrap, string topic, int expected, TimeSpan timeout, TimeSpan? settle, IsolationLevel isolation)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "verify-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = isolation,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? settleUntil = null;
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is not null && !r.IsPartitionEOF)
            {
                results.Add(r);
            }

            if (results.Count >= expected)
            {
                // Keep reading a little longer so that duplicates beyond the expected count are seen too.
                settleUntil ??= DateTime.UtcNow + (settle ?? TimeSpan.FromSeconds(1));
                if (DateTime.UtcNow >= settleUntil)
                {
                    break;
                }
            }
        }

        consumer.Close();
        return results;
    }
}
