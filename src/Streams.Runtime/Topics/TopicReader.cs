using Confluent.Kafka;

namespace Streams.Runtime.Topics;

/// <summary>
/// Reads topics as a downstream consumer would: committed records only (read_committed), every partition from its
/// first record to the end it had when reading began, without joining a group's assignment or committing anything.
/// The one reader behind the demo's summary, the dead-letter tools, the tests that check what a topic holds, and (through
/// <see cref="CompactedTopicReader"/>) the engine's positions and the connectors' offsets. A broker that is down or a
/// leader that moves while an end is looked up is waited out until the timeout; only the cluster's metadata saying a
/// topic is not there makes it missing.
/// </summary>
public static class TopicReader
{
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    /// <param name="clientSettings">bootstrap.servers and any security settings (security.protocol, sasl.*).</param>
    /// <returns>Records in offset order within each partition; partitions interleave.</returns>
    /// <exception cref="TimeoutException">The end was not reached within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">A topic does not exist or cannot be described.</exception>
    public static IEnumerable<ConsumeResult<byte[], byte[]>> ReadToEnd(IReadOnlyDictionary<string, string> clientSettings, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(clientSettings, StringComparer.Ordinal))
        {
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        config.GroupId ??= "streams-reader-" + Guid.NewGuid().ToString("N");
        using var consumer = Build(config);
        var deadline = DateTime.UtcNow + timeout;
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in Partitions(consumer, topics, timeout))
        {
            var marks = Watermarks(consumer, partition, deadline, timeout, CancellationToken.None)
                ?? throw new InvalidOperationException($"cannot read topic {partition.Topic}: it does not exist");
            AddEnd(ends, partition, marks);
        }

        foreach (var result in ReadToEnds(consumer, ends, deadline, $"reading {string.Join(", ", topics)} did not reach the end within {timeout.TotalSeconds:0.#} s", CancellationToken.None))
        {
            yield return result;
        }
    }

    /// <summary>A consumer that reports each partition's end (EOF) and logs nothing.</summary>
    internal static IConsumer<byte[], byte[]> Build(ConsumerConfig settings)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(settings, StringComparer.Ordinal)) { EnablePartitionEof = true, EnableAutoCommit = false };
        return new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>
    /// The last offset to read in a partition, unless it is empty: a read_committed high watermark may sit past the last
    /// record (a transaction marker), so the end of a partition is whichever comes first, that offset or its EOF.
    /// </summary>
    internal static void AddEnd(Dictionary<TopicPartition, long> ends, TopicPartition partition, WatermarkOffsets marks)
    {
        if (marks.High.Value > marks.Low.Value)
        {
            ends[partition] = marks.High.Value - 1;
        }
    }

    /// <summary>Reads each partition of <paramref name="ends"/> from its first record to its end (which it empties).</summary>
    /// <exception cref="TimeoutException">Not every end was reached by <paramref name="deadline"/>; the message is <paramref name="timeoutMessage"/>.</exception>
    internal static IEnumerable<ConsumeResult<byte[], byte[]>> ReadToEnds(IConsumer<byte[], byte[]> consumer, Dictionary<TopicPartition, long> ends, DateTime deadline, string timeoutMessage, CancellationToken cancellationToken)
    {
        if (ends.Count == 0)
        {
            yield break;
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        while (ends.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(timeoutMessage);
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
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

    /// <summary>
    /// The partition's watermarks, or null when the metadata says the topic does not exist. Any other error (a leader
    /// down or moving: librdkafka answers Local_UnknownPartition then) is retried until <paramref name="deadline"/>.
    /// </summary>
    /// <exception cref="TimeoutException">No answer by the deadline.</exception>
    internal static WatermarkOffsets? Watermarks(IConsumer<byte[], byte[]> consumer, TopicPartition tp, DateTime deadline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        KafkaException? last = null;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"the end of '{tp.Topic}' could not be looked up within {timeout.TotalSeconds:0.#} s: {last?.Error.Reason ?? "no answer"}", last);
            }

            try
            {
                return consumer.QueryWatermarkOffsets(tp, remaining);
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                last = ex;
                if (ex.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition
                    && IsMissing(consumer, tp.Topic, deadline - DateTime.UtcNow))
                {
                    return null;
                }
            }

            cancellationToken.WaitHandle.WaitOne(RetryBackoff);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>True only when a metadata answer names the topic as unknown; no answer proves nothing.</summary>
    private static bool IsMissing(IConsumer<byte[], byte[]> consumer, string topic, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var metadata = admin.GetMetadata(topic, timeout);
            return metadata.Topics.FirstOrDefault(t => t.Topic == topic) is { Error.Code: ErrorCode.UnknownTopicOrPart };
        }
        catch (KafkaException)
        {
            return false;
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
