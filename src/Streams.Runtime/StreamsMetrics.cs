using System.Collections.Concurrent;

namespace Streams.Runtime;

/// <summary>A counter per label value, safe to bump from any stream thread.</summary>
public sealed class LabelledCounter(string name, string help)
{
    // A cell per label, bumped with Interlocked: the hot path takes no lock, and readers (a scrape, Total)
    // enumerate without blocking the stream threads.
    private readonly ConcurrentDictionary<string, Cell> _values = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string Help { get; } = help;

    public void Increment(string label, long by = 1)
    {
        var cell = _values.TryGetValue(label, out var existing) ? existing : _values.GetOrAdd(label, static _ => new Cell());
        Interlocked.Add(ref cell.Value, by);
    }

    public long this[string label] => _values.TryGetValue(label, out var cell) ? Interlocked.Read(ref cell.Value) : 0;

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var (_, cell) in _values)
            {
                total += Interlocked.Read(ref cell.Value);
            }

            return total;
        }
    }

    public IReadOnlyDictionary<string, long> Snapshot() => _values.ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value), StringComparer.Ordinal);

    private sealed class Cell
    {
        public long Value;
    }
}

/// <summary>A current value per label (a lag, a size), set by whoever measures it and removed when it no longer applies.</summary>
public sealed class LabelledGauge(string name, string help)
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string Help { get; } = help;

    public void Set(string label, long value) => _values[label] = value;

    public void Remove(string label) => _values.TryRemove(label, out _);

    public long this[string label] => _values.GetValueOrDefault(label);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_values, StringComparer.Ordinal);
}

/// <summary>Durations in fixed buckets (seconds, cumulative on export), with their count and sum, as Prometheus histograms have them.</summary>
public sealed class LatencyHistogram(string name, string help, params double[] upperBoundsSeconds)
{
    private readonly Lock _lock = new();
    private readonly long[] _counts = new long[upperBoundsSeconds.Length];
    private long _count;
    private double _sum;

    public string Name { get; } = name;

    public string Help { get; } = help;

    public IReadOnlyList<double> UpperBounds { get; } = upperBoundsSeconds;

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        lock (_lock)
        {
            var bucket = Array.FindIndex(upperBoundsSeconds, b => seconds <= b);
            if (bucket >= 0)
            {
                _counts[bucket]++;
            }

            _count++;
            _sum += seconds;
        }
    }

    /// <summary>Per bucket the observations at or below its bound (cumulative), then the total count and the sum in seconds.</summary>
    public (long[] Cumulative, long Count, double Sum) Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_counts.Length];
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                running += _counts[i];
                cumulative[i] = running;
            }

            return (cumulative, _count, _sum);
        }
    }
}

/// <summary>The engine's own counters; the hosts export them.</summary>
public sealed class StreamsMetrics
{
    public LabelledCounter RecordsProcessed { get; } = new("streams_records_processed_total", "Input records processed, by task");

    public LabelledCounter RecordsDeadLettered { get; } = new("streams_records_dead_lettered_total", "Records sent to the dead-letter topic, by stage");

    public LabelledCounter Commits { get; } = new("streams_commits_total", "Commits, by thread");

    public LabelledCounter RecordsCommitted { get; } = new("streams_records_committed_total", "Input records whose processing has been committed, by thread");

    public LabelledCounter TaskMigrations { get; } = new("streams_task_migrations_total", "Times a thread closed its tasks dirty and rejoined, by cause");

    public LabelledCounter RestoredRecords { get; } = new("streams_restored_records_total", "Changelog records applied during restoration, by store");

    public LatencyHistogram CommitLatency { get; } = new("streams_commit_latency_seconds", "Time to commit offsets (and, exactly once, the transaction)", 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

    public LabelledGauge ConsumerLag { get; } = new("streams_consumer_lag", "Records between the committed position and the end of an input partition, by topic:partition");

    public LabelledGauge StoreEntries { get; } = new("streams_store_entries", "Approximate entries in a state store, by store:task");
}
