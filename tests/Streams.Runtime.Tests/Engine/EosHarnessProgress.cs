using Confluent.Kafka;

namespace Streams.Runtime.Tests.Engine;

internal static class EosHarnessProgress
{
    /// <summary>
    /// True once the positions committed with the application's transactions reach the end of every input
    /// partition (the embedded cluster does not keep transactional group offsets; see MockClusterBehaviourTests).
    /// </summary>
    public static bool InputFullyCommitted(this EosHarness h, int partitions)
    {
        var positions = new Dictionary<string, long>();
        foreach (var r in KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, Topology.PositionsTopic(h.ApplicationId), int.MaxValue, TimeSpan.FromSeconds(1)))
        {
            positions[System.Text.Encoding.UTF8.GetString(r.Message.Key)] = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(r.Message.Value);
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = h.Cluster.BootstrapServers, GroupId = "watermarks" })
            .SetLogHandler((_, _) => { }).Build();
        return Enumerable.Range(0, partitions).All(p =>
            positions.TryGetValue($"{h.Input}/{p}", out var committed)
            && committed >= consumer.QueryWatermarkOffsets(new TopicPartition(h.Input, p), TimeSpan.FromSeconds(5)).High.Value);
    }

    /// <summary>True once the consumer group's own committed offsets (at-least-once) reach every partition's end.</summary>
    public static bool GroupOffsetsAtEnd(this EosHarness h, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = h.Cluster.BootstrapServers, GroupId = h.ApplicationId })
            .SetLogHandler((_, _) => { }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(h.Input, p)).ToList();
        return consumer.Committed(tps, TimeSpan.FromSeconds(5)).All(c =>
            c.Offset.Value >= consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(5)).High.Value);
    }

    /// <summary>The last value per key in the changelog, read as committed.</summary>
    public static Dictionary<string, long> ChangelogState(this EosHarness h)
    {
        var records = KafkaTestClient.ReadCommitted(h.Cluster.BootstrapServers, h.Changelog, int.MaxValue, TimeSpan.FromSeconds(5));
        var state = new Dictionary<string, long>();
        foreach (var r in records)
        {
            var key = System.Text.Encoding.UTF8.GetString(r.Message.Key);
            if (r.Message.Value is null)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(r.Message.Value);
            }
        }

        return state;
    }
}
