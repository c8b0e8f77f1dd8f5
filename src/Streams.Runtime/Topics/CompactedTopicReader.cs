using Confluent.Kafka;

namespace Streams.Runtime.Topics;

/// <summary>
/// Reads a single-partition compacted topic (the engine's positions, a connector's source offsets) from its first
/// record to its end, in order, as the caller's consumer settings say (read_committed for both). A broker that is down
/// or a leader that moves while the end is looked up is waited out until the timeout; only the cluster's metadata
/// saying the topic is not there makes it missing, so a transient error is never taken for a configuration error.
/// </summary>
public static class CompactedTopicReader
{
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads partition 0 of <paramref name="topic"/> to its end, handing each record to <paramref name="apply"/>.</summary>
    /// <returns><c>false</c> when the topic does not exist; <c>true</c> once every record up to the end was applied.</returns>
    /// <exception cref="TimeoutException">The end was not found or not reached within <paramref name="timeout"/>.</exception>
    public static bool TryReadToEnd(ConsumerConfig settings, string topic, TimeSpan timeout, Action<ConsumeResult<byte[], byte[]>> apply, CancellationToken cancellationToken = default)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(settings, StringComparer.Ordinal)) { EnablePartitionEof = true, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var tp = new TopicPartition(topic, 0);
        var deadline = DateTime.UtcNow + timeout;
        if (End(consumer, tp, deadline, timeout, cancellationToken) is not { } marks)
        {
            return false;
        }

        if (marks.High.Value <= marks.Low.Value)
        {
            return true;
        }

        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                return true;
            }

            apply(r);
        }

        throw new TimeoutException($"reading '{topic}' to its end took longer than {timeout.TotalSeconds:0.#} s");
    }

    /// <summary>The partition's watermarks, or null when the metadata says the topic does not exist.</summary>
    private static WatermarkOffsets? End(IConsumer<byte[], byte[]> consumer, TopicPartition tp, DateTime deadline, TimeSpan timeout, CancellationToken cancellationToken)
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
}
