using Confluent.Kafka;

namespace Streams.Runtime.Topics;

/// <summary>
/// Reads topics as a downstream consumer would: committed records only (read_committed), every partition from its
/// first record to the end it had when reading began, without joining a group's assignment or committing anything.
/// The one reader behind the demo's summary, the dead-letter tools and the tests that check what a topic holds.
/// </summary>
public static class TopicReader
{
    /// <param name="clientSettings">bootstrap.servers and any security settings (security.protocol, sasl.*).</param>
    /// <returns>Records in offset order within each partition; partitions interleave.</returns>
    /// <exception cref="TimeoutException">The end was not reached within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">A topic does not exist or cannot be described.</exception>
    public static IEnumerable<ConsumeResult<byte[], byte[]>> ReadToEnd(IReadOnlyDictionary<string, string> clientSettings, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(clientSettings, StringComparer.Ordinal))
        {
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        config.GroupId ??= "streams-reader-" + Guid.NewGuid().ToString("N");
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var deadline = DateTime.UtcNow + timeout;

        // The last offset to read in each partition: a read_committed high watermark may sit past the last record
        // (a transaction marker), so the end of a partition is whichever comes first, that offset or its EOF.
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in Partitions(consumer, topics, timeout))
        {
            var marks = consumer.QueryWatermarkOffsets(partition, timeout);
            if (marks.High.Value > marks.Low.Value)
            {
                ends[partition] = marks.High.Value - 1;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        while (ends.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {string.Join(", ", topics)} did not reach the end within {timeout.TotalSeconds:0} s");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || !ends.TryGetValue(result.TopicPartition, out var last))
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ends.Remove(result.TopicPartition);
                continue;
            }

            yield return result;
            if (result.Offset.Value >= last)
            {
                ends.Remove(result.TopicPartition);
            }
        }
    }

    private static List<TopicPartition> Partitions(IConsumer<byte[], byte[]> consumer, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, timeout).Topics.Single();
            if (metadata.Error.IsError)
            {
                throw new InvalidOperationException($"cannot read topic {topic}: {metadata.Error.Reason}");
            }

            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }

        return partitions;
    }
}
