using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>
/// Rebuilds stores from their changelogs before their tasks process anything, in slices between polls so the
/// main consumer keeps its group membership. A partition is restored when the read_committed fetch reaches its end.
/// </summary>
internal sealed class Restorer(StreamsConfig config, StreamsMetrics metrics, EndOffsets endOffsets) : IDisposable
{
    private readonly Dictionary<TopicPartition, StreamTask> _pending = [];
    private readonly Dictionary<StreamTask, int> _remaining = [];
    private IConsumer<byte[], byte[]>? _consumer;

    public bool Active => _remaining.Count > 0;

    public void Add(StreamTask task, Dictionary<TopicPartition, Offset> starts)
    {
        var consumer = _consumer ??= new ConsumerBuilder<byte[], byte[]>(ClientConfigs.RestoreConsumer(config))
            .SetLogHandler((_, _) => { })
            .Build();
        var toAssign = new List<TopicPartitionOffset>();
        var ends = endOffsets.High(starts.Keys, TimeSpan.FromSeconds(30));
        foreach (var (tp, start) in starts)
        {
            var end = ends[tp];
            if (end == 0 || (start.Value >= 0 && start.Value >= end))
            {
                continue;
            }

            _pending[tp] = task;
            toAssign.Add(new TopicPartitionOffset(tp, start));
        }

        if (toAssign.Count == 0)
        {
            task.InitNodes();
            return;
        }

        _remaining[task] = toAssign.Count;
        consumer.IncrementalAssign(toAssign);
    }

    /// <summary>Applies changelog records for up to <paramref name="budget"/>; returns the tasks that became fully restored.</summary>
    public List<StreamTask> RestoreSome(TimeSpan budget)
    {
        var done = new List<StreamTask>();
        if (_consumer is null)
        {
            return done;
        }

        var watch = Stopwatch.StartNew();
        while (_remaining.Count > 0 && watch.Elapsed < budget)
        {
            var r = _consumer.Consume(TimeSpan.FromMilliseconds(20));
            if (r is null || !_pending.TryGetValue(r.TopicPartition, out var task))
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                _pending.Remove(r.TopicPartition);
                _consumer.IncrementalUnassign([r.TopicPartition]);
                if (--_remaining[task] == 0)
                {
                    _remaining.Remove(task);
                    done.Add(task);
                }

                continue;
            }

            task.RestoreRecord(r.TopicPartition, r.Message.Key, r.Message.Value, r.Message.Headers);
            metrics.RestoredRecords.Increment(r.Topic);
        }

        return done;
    }

    public void Remove(StreamTask task)
    {
        if (!_remaining.Remove(task))
        {
            return;
        }

        var mine = _pending.Where(kv => kv.Value == task).Select(kv => kv.Key).ToList();
        foreach (var tp in mine)
        {
            _pending.Remove(tp);
        }

        if (mine.Count > 0)
        {
            _consumer?.IncrementalUnassign(mine);
        }
    }

    public void Dispose()
    {
        _consumer?.Close();
        _consumer?.Dispose();
    }
}
