using Confluent.Kafka;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Testing;
using Streams.Topology.Curation;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>What the current topology would do with the selected dead letters, counted by outcome and reason.</summary>
public sealed record DryRunOutcome(
    int Curated,
    int Deduplicated,
    IReadOnlyDictionary<string, int> StillDeadLettered,
    IReadOnlyDictionary<string, int> NotEvaluated)
{
    public int Total => Curated + Deduplicated + StillDeadLettered.Values.Sum() + NotEvaluated.Values.Sum();
}

/// <summary>
/// Runs dead letters through the current curation topology in process (the test driver, as `streams curate` does)
/// and counts what a replay would make of them: curated, dropped as duplicates (of each other; the running
/// topology's window may hold more), or dead-lettered again and why. Writes nothing to any cluster.
/// </summary>
public static class ReplayDryRun
{
    public static DryRunOutcome Run(IEnumerable<DeadLetterRecord> records, CurationOptions options)
    {
        var list = records.ToList();
        var inputs = options.Sources.ToDictionary(CurationOptions.RawTopic, s => s, StringComparer.Ordinal);
        var notEvaluated = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var evaluated = new List<DeadLetterRecord>();
        foreach (var record in list)
        {
            if (record.OriginTopic is { } origin && inputs.ContainsKey(origin))
            {
                evaluated.Add(record);
            }
            else
            {
                var why = $"the topology does not read '{record.OriginTopic}'";
                notEvaluated[why] = notEvaluated.GetValueOrDefault(why) + 1;
            }
        }

        var dead = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (evaluated.Count == 0)
        {
            return new DryRunOutcome(0, 0, dead, notEvaluated);
        }

        var metrics = new CurationMetrics();
        var engine = CurationTopology.EngineDefaults(options);
        engine[StreamsConfig.BootstrapServersKey] = "dry-run:9092";
        var topology = CurationTopology.Build(options, metrics, AvroSerdes.CreateRegistry(options.Registry));
        using var driver = new TopologyTestDriver(topology, StreamsConfig.FromProperties(engine));
        foreach (var record in evaluated)
        {
            var headers = new Headers();
            foreach (var (key, value) in record.Headers)
            {
                headers.Add(key, value);
            }

            driver.PipeInput(record.OriginTopic!, record.Key, record.Value, record.Timestamp, headers);
        }

        foreach (var letter in driver.Output(options.DeadLetterTopic))
        {
            var reason = letter.Header(Runtime.DeadLetters.HeaderPrefix + "reason") ?? "(no reason)";
            dead[reason] = dead.GetValueOrDefault(reason) + 1;
        }

        return new DryRunOutcome((int)metrics.Curated.Total, (int)metrics.Duplicates.Total, dead, notEvaluated);
    }
}
