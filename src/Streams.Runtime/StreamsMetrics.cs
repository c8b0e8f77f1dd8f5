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

/// <summary>The engine's own counters; the hosts export them.</summary>
public sealed class StreamsMetrics
{
    public LabelledCounter RecordsProcessed { get; } = new("streams_records_processed_total", "Input records processed, by task");

    public LabelledCounter RecordsDeadLettered { get; } = new("streams_records_dead_lettered_total", "Records sent to the dead-letter topic, by stage");

    public LabelledCounter Commits { get; } = new("streams_commits_total", "Commits, by thread");

    public LabelledCounter TaskMigrations { get; } = new("streams_task_migrations_total", "Times a thread closed its tasks dirty and rejoined, by cause");

    public LabelledCounter RestoredRecords { get; } = new("streams_restored_records_total", "Changelog records applied during restoration, by store");
}
