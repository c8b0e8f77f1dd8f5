using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Topics;

namespace Streams.Runtime.Internals;

/// <summary>
/// Input positions written into <c>&lt;application.id&gt;-offsets</c> inside each exactly-once transaction,
/// beside the standard SendOffsetsToTransaction. The embedded cluster accepts TxnOffsetCommit but never applies it
/// to the group (see MockClusterBehaviourTests), so positions live in a compacted topic as Kafka Connect's
/// exactly-once sources keep theirs; on a real cluster both always agree.
/// </summary>
internal sealed class PositionStore(StreamsConfig config)
{
    public string Topic { get; } = Topology.PositionsTopic(config.ApplicationId);

    public static byte[] Key(TopicPartition tp) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{tp.Topic}/{tp.Partition.Value}"));

    public static byte[] Value(long offset)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, offset);
        return bytes;
    }

    public void Write(KafkaRecordCollector collector, IEnumerable<TopicPartitionOffset> offsets, long timestamp)
    {
        foreach (var o in offsets)
        {
            collector.SendNow(Topic, 0, Key(o.TopicPartition), Value(o.Offset.Value), timestamp);
        }
    }

    /// <summary>The committed positions, read to the end of the topic with read_committed.</summary>
    public Dictionary<TopicPartition, long> ReadAll(TimeSpan timeout)
    {
        var result = new Dictionary<TopicPartition, long>();
        bool found;
        try
        {
            found = CompactedTopicReader.TryReadToEnd(ClientConfigs.RestoreConsumer(config), Topic, timeout, r =>
            {
                var key = Encoding.UTF8.GetString(r.Message.Key ?? []);
                var slash = key.LastIndexOf('/');
                if (slash > 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition) && r.Message.Value is { Length: 8 } v)
                {
                    result[new TopicPartition(key[..slash], partition)] = BinaryPrimitives.ReadInt64BigEndian(v);
                }
            });
        }
        catch (TimeoutException ex)
        {
            throw new TaskMigratedException($"reading positions from '{Topic}' took longer than {timeout}", ex);
        }

        return found ? result : throw new StreamsException($"the positions topic '{Topic}' does not exist; declare it (compacted, 1 partition) before starting");
    }
}
