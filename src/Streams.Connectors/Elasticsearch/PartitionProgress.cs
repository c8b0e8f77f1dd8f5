using Confluent.Kafka;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Per partition, the offsets handed out in consumption order and which of them are finished (written or
/// dead-lettered). The committable position is one past the longest finished prefix, so a commit never skips
/// a record still in flight, whatever order the results come back in. Not thread-safe: the sink loop owns it.
/// </summary>
public sealed class PartitionProgress
{
    private readonly Dictionary<TopicPartition, Partition> _partitions = [];
    private int _outstanding;

    /// <summary>Offsets handed out and not yet part of the finished prefix, over all partitions.</summary>
    public int Outstanding => _outstanding;

    public void Started(TopicPartition partition, Offset offset)
    {
        if (!_partitions.TryGetValue(partition, out var p))
        {
            p = new Partition();
            _partitions[partition] = p;
        }

        p.Order.Enqueue(offset.Value);
        _outstanding++;
    }

    /// <summary>Marks one offset finished; results for partitions since <see cref="Forget"/>-ten are ignored.</summary>
    public void Finished(TopicPartition partition, Offset offset)
    {
        if (!_partitions.TryGetValue(partition, out var p))
        {
            return;
        }

        // Offsets below the oldest outstanding one are stale results from before a revoke; nothing to do.
        if (!p.Order.TryPeek(out var oldest) || offset.Value < oldest)
        {
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
    }

    private sealed class Partition
    {
        public Queue<long> Order { get; } = new();

        public HashSet<long> Done { get; } = [];

        public long? Committable { get; set; }

        public long? Committed { get; set; }
    }
}
