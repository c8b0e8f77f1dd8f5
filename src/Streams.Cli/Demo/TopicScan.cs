using Confluent.Kafka;

namespace Streams.Cli.Demo;

/// <summary>Reads every committed record of some topics, all partitions, from the beginning to the end they have now.</summary>
internal static class TopicScan
{
    public static void ReadAll(string bootstrapServers, IReadOnlyCollection<string> topics, Action<ConsumeResult<byte[], byte[]>> visit, TimeSpan timeout)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "streams-demo-scan-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = new List<TopicPartitionOffset>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (metadata.Error.IsError)
            {
                throw new InvalidOperationException($"cannot read topic {topic}: {metadata.Error.Reason}");
            }

            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }

        consumer.Assign(partitions);
        var open = partitions.Select(p => p.TopicPartition).ToHashSet();
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {string.Join(", ", topics)} did not reach the end within {timeout.TotalSeconds:0} s");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                open.Remove(result.TopicPartition);
                continue;
            }

            visit(result);
        }
    }
}
