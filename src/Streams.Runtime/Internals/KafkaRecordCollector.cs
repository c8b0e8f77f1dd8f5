using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>
/// Sends a thread's output through its producer. Under exactly-once a transaction is begun lazily with the
/// first record, so that changelogs, outputs and dead letters commit or abort together with the offsets.
/// </summary>
internal sealed class KafkaRecordCollector(IProducer<byte[], byte[]> producer, bool exactlyOnce) : IRecordCollector
{
    private Exception? _sendError;

    public IProducer<byte[], byte[]> Producer { get; } = producer;

    public bool TransactionOpen { get; private set; }

    public void EnsureTransaction()
    {
        if (exactlyOnce && !TransactionOpen)
        {
            Producer.BeginTransaction();
            TransactionOpen = true;
        }
    }

    public void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        ThrowIfSendFailed();
        EnsureTransaction();
        var message = new Message<byte[], byte[]>
        {
            Key = key!,
            Value = value!,
            Timestamp = new Timestamp(timestamp, TimestampType.CreateTime),
            Headers = headers,
        };
        var target = partition is { } p ? new TopicPartition(topic, p) : new TopicPartition(topic, Partition.Any);
        while (true)
        {
            try
            {
                Producer.Produce(target, message, OnDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let librdkafka drain its queue, then try again.
                Producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Rethrows the first failed delivery, which under exactly-once means the transaction must abort.</summary>
    public void ThrowIfSendFailed()
    {
        var error = Volatile.Read(ref _sendError);
        if (error is not null)
        {
            throw new TaskMigratedException("a record could not be delivered: " + error.Message, error);
        }
    }

    public void MarkCommitted() => TransactionOpen = false;

    public void MarkAborted()
    {
        TransactionOpen = false;
        _sendError = null;
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _sendError, new KafkaException(report.Error), null);
        }
    }
}

/// <summary>
/// The thread's tasks cannot go on from where they are (fenced producer, lost partitions, poll interval
/// exceeded, aborted transaction): they are closed dirty and the thread rejoins the group.
/// </summary>
internal sealed class TaskMigratedException(string message, Exception? inner = null) : Exception(message, inner);
