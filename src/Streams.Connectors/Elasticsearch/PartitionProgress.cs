using Confluent.Kafka;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Per partition, the offsets handed out in consumption order and which of them are finished (written or
/// dead-lettered). The committable position is one past the longest finished prefix, so a commit never skips
/// a record still in flight, whatever order the results come back in. Not thread-safe: the sink loop owns it.
/// </summary>
public sealed class PartitionProgress
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private int _outstanding;

    // The partition of the last lookup: records come in runs of one partition, and a lookup by topic name and number
    // then needs no TopicPartition (a new object per ConsumeResult.TopicPartition call) nor a hash of the topic name.
    private PartitionState? _last;

    /// <summary>Offsets handed out and not yet part of the finished prefix, over all partitions.</summary>
    public int Outstanding => _outstanding;

    public void Started(TopicPartition partition, Offset offset) => Started(partition.Topic, partition.Partition, offset);

    public void Started(string topic, Partition partition, Offset offset)
    {
        var p = Find(topic, partition);
        if (p is null)
        {
            p = new PartitionState(new TopicPartition(topic, partition));
            _partitions[p.Key] = p;
            _last = p;
        }

        p.Order.Enqueue(offset.Value);
        _outstanding++;
    }

    /// <summary>Marks one offset finished; results for partitions since <see cref="Forget"/>-ten are ignored.</summary>
    public void Finished(TopicPartition partition, Offset offset) => Finished(partition.Topic, partition.Partition, offset);

    /// <inheritdoc cref="Finished(TopicPartition, Offset)"/>
    public void Finished(string topic, Partition partition, Offset offset)
    {
        var p = Find(topic, partition);
        if (p is null)
        {
            return;
        }

        // Offsets below the oldest outstanding one are stale results from before a revoke; nothing to do.
        if (!p.Order.TryPeek(out var oldest) || offset.Value < oldest)
        {
            return;
        }

        if (offset.Value == oldest && p.Done.Count == 0)
        {
            // Results mostly come in order: the oldest is done and nothing after it was waiting.
            p.Order.Dequeue();
            _outstanding--;
            p.Committable = oldest + 1;
            return;
        }

        p.Done.Add(offset.Value);
        while (p.Order.TryPeek(out var head) && p.Done.Remove(head))
        {
            p.Order.Dequeue();
            _outstanding--;
            p.Committable = head + 1;
        }
    }

    /// <summary>Positions that moved since the last <see cref="Committed"/>: the offsets to commit (next record to read).</summary>
    public List<TopicPartitionOffset> Committable(IEnumerable<TopicPartition>? only = null)
    {
        var result = new List<TopicPartitionOffset>();
        var filter = only?.ToHashSet();
        foreach (var (partition, p) in _partitions)
        {
            if (p.Committable is { } next && next != p.Committed && (filter is null || filter.Contains(partition)))
            {
                result.Add(new TopicPartitionOffset(partition, next));
            }
        }

        return result;
    }

    public void Committed(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (_partitions.TryGetValue(offset.TopicPartition, out var p))
            {
                p.Committed = offset.Offset.Value;
            }
        }
    }

    /// <summary>The last position committed for the partition by this consumer, or -1 when none was.</summary>
    public long CommittedOffset(TopicPartition partition) =>
        _partitions.TryGetValue(partition, out var p) && p.Committed is { } committed ? committed : -1;

    /// <summary>The partition was revoked: its in-flight results no longer count here.</summary>
    public void Forget(TopicPartition partition)
    {
        if (_partitions.Remove(partition, out var p))
        {
            _outstanding -= p.Order.Count;
        }

        _last = null;
    }

    private PartitionState? Find(string topic, Partition partition)
    {
        var last = _last;
        if (last is not null && last.Key.Partition == partition && string.Equals(last.Key.Topic, topic, StringComparison.Ordinal))
        {
            return last;
        }

        if (_partitions.TryGetValue(new TopicPartition(topic, partition), out var p))
        {
            _last = p;
        }

        return p;
    }

    private sealed class PartitionState(TopicPartition key)
    {
        public TopicPartition Key { get; } = key;

        public Queue<long> Order { get; } = new();

        public HashSet<long> Done { get; } = [];

        public long? Committable { get; set; }

        public long? Committed { get; set; }
    }
}
