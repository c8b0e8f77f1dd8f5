using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// Which dead letters were already replayed, per dead-letter partition, in a compacted topic written inside each
/// replay transaction. The engine keeps its input positions the same way (Runtime's PositionStore) because the
/// embedded cluster never applies TxnOffsetCommit to a group; a replay also commits its group offsets for real
/// clusters, but resumes from here. Key <c>&lt;dlq topic&gt;/&lt;partition&gt;</c>, value the replayed offsets
/// as text ranges ("0-3,7-7"), since a replay selected by reason or time replays a set, not a prefix.
/// </summary>
public sealed class ReplayLedger
{
    /// <summary>The ledger topic: compacted, one partition, declared in topics.yaml beside the engine's positions.</summary>
    public const string Topic = Runtime.Topics.TopicNames.DlqReplayOffsets;

    private readonly Dictionary<int, OffsetRanges> _replayed;

    private ReplayLedger(string deadLetterTopic, Dictionary<int, OffsetRanges> replayed)
    {
        DeadLetterTopic = deadLetterTopic;
        _replayed = replayed;
    }

    public string DeadLetterTopic { get; }

    /// <summary>The committed ledger of one dead-letter topic; the ledger topic must exist.</summary>
    public static ReplayLedger Read(DeadLetterCluster cluster, string deadLetterTopic, IReadOnlyDictionary<string, int> topics)
    {
        if (!topics.ContainsKey(Topic))
        {
            throw new DeadLetterInputException($"the replay ledger topic '{Topic}' does not exist; declare it in topics.yaml (compacted, 1 partition) and run streams topics apply");
        }

        var replayed = new Dictionary<int, OffsetRanges>();
        var prefix = deadLetterTopic + "/";
        foreach (var r in cluster.ReadToEnd(Topic))
        {
            var key = r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : string.Empty;
            if (key.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                && r.Message.Value is { } value)
            {
                replayed[partition] = OffsetRanges.Parse(Encoding.UTF8.GetString(value));
            }
        }

        return new ReplayLedger(deadLetterTopic, replayed);
    }

    public bool WasReplayed(DeadLetterRecord record) => _replayed.TryGetValue(record.Partition, out var ranges) && ranges.Contains(record.Offset);

    public long ReplayedCount => _replayed.Values.Sum(r => r.Count);

    /// <summary>Marks the records replayed and writes the touched partitions' entries through the producer (inside its transaction).</summary>
    public void Record(IProducer<byte[], byte[]> producer, IEnumerable<DeadLetterRecord> records)
    {
        var touched = new HashSet<int>();
        foreach (var record in records)
        {
            if (!_replayed.TryGetValue(record.Partition, out var ranges))
            {
                _replayed[record.Partition] = ranges = new OffsetRanges();
            }

            ranges.Add(record.Offset);
            touched.Add(record.Partition);
        }

        foreach (var partition in touched.Order())
        {
            producer.Produce(new TopicPartition(Topic, 0), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{DeadLetterTopic}/{partition}")),
                Value = Encoding.UTF8.GetBytes(_replayed[partition].ToString()),
            });
        }
    }
}

/// <summary>Bad input to a dlq command (unknown topic, a selection that matches nothing, a record that cannot be replayed): nothing was written.</summary>
public sealed class DeadLetterInputException(string message) : Exception(message);
