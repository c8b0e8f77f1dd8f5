using System.Collections.Concurrent;

namespace Streams.Runtime;

/// <summary>A counter per label value, safe to bump from any stream thread.</summary>
public sealed class LabelledCounter(string name, string help)
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string Help { get; } = help;

    public void Increment(string label, long by = 1) => _values.AddOrUpdate(label, by, (_, v) => v + by);

    public long this[string label] => _values.GetValueOrDefault(label);

    public long Total => _values.Values.Sum();

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_values, StringComparer.Ordinal);
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
