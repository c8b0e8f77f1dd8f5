using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>Where a task's output goes: the thread's producer, or the test driver's captured topics.</summary>
internal interface IRecordCollector
{
    /// <summary>Sends a record; a null partition lets the partitioner choose from the key.</summary>
    void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers);
}
