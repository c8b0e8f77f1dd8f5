using Confluent.Kafka;

namespace Streams.Runtime.Topics;

/// <summary>
/// Reads a single-partition compacted topic (the engine's positions, a connector's source offsets) from its first
/// record to its end, in order, as the caller's consumer settings say (read_committed for both), with
/// <see cref="TopicReader"/>'s end lookup and read: a broker that is down or a leader that moves while the end is
/// looked up is waited out until the timeout, and only the cluster's metadata saying the topic is not there makes it
/// missing, so a transient error is never taken for a configuration error.
/// </summary>
public static class CompactedTopicReader
{
    /// <summary>Reads partition 0 of <paramref name="topic"/> to its end, handing each record to <paramref name="apply"/>.</summary>
    /// <returns><c>false</c> when the topic does not exist; <c>true</c> once every record up to the end was applied.</returns>
    /// <exception cref="TimeoutException">The end was not found or not reached within <paramref name="timeout"/>.</exception>
    public static bool TryReadToEnd(ConsumerConfig settings, string topic, TimeSpan timeout, Action<ConsumeResult<byte[], byte[]>> apply, CancellationToken cancellationToken = default)
    {
        using var consumer = TopicReader.Build(settings);
        var tp = new TopicPartition(topic, 0);
        var deadline = DateTime.UtcNow + timeout;
        if (TopicReader.Watermarks(consumer, tp, deadline, timeout, cancellationToken) is not { } marks)
        {
            return false;
        }

        var ends = new Dictionary<TopicPartition, long>();
        TopicReader.AddEnd(ends, tp, marks);
        foreach (var record in TopicReader.ReadToEnds(consumer, ends, deadline, $"reading '{topic}' to its end took longer than {timeout.TotalSeconds:0.#} s", cancellationToken))
        {
            apply(record);
        }

        return true;
    }
}
