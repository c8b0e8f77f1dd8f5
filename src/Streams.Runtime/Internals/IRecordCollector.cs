using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>Where a task's output goes: the thread's producer, or the test driver's captured topics.</summary>
internal interface IRecordCollector
{
    /// <summary>Sends a record; a null partition lets the partitioner choose from the key.</summary>
    void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers);

    /// <summary>The largest record (key, value and headers) this collector sends; a larger one is refused.</summary>
    int MaxRecordBytes => KafkaRecordCollector.DefaultMessageMaxBytes;

    /// <summary>Sends a record whose value is lent (see <see cref="Serdes.ISpanSerializer{T}"/>): copied before this returns.</summary>
    void Send(string topic, int? partition, byte[]? key, ReadOnlySpan<byte> value, long timestamp, Headers? headers) =>
        Send(topic, partition, key, value.ToArray(), timestamp, headers);
}
