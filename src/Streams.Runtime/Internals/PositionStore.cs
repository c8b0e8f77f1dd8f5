using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

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
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ClientConfigs.RestoreConsumer(config)).SetLogHandler((_, _) => { }).Build();
        var tp = new TopicPartition(Topic, 0);
        WatermarkOffsets marks;
        try
        {
            marks = consumer.QueryWatermarkOffsets(tp, timeout);
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition)
        {
            throw new StreamsException($"the positions topic '{Topic}' does not exist; declare it (compacted, 1 partition) before starting", ex);
        }

        if (marks.High.Value == 0)
        {
            return result;
        }

        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                return result;
            }

            var key = Encoding.UTF8.GetString(r.Message.Key);
            var slash = key.LastIndexOf('/');
            if (slash > 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition) && r.Message.Value is { Length: 8 } v)
            {
                result[new TopicPartition(key[..slash], partition)] = BinaryPrimitives.ReadInt64BigEndian(v);
            }
        }

        throw new TaskMigratedException($"reading positions from '{Topic}' took longer than {timeout}");
    }
}
