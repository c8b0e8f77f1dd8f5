using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>
/// Sends a thread's output through its producer. Under exactly-once the records of a commit interval are held by
/// default until the commit and then written in one transaction with the input offsets: a task that dies between
/// commits leaves nothing in any topic, so correctness does not hinge on the broker hiding aborted records (the
/// embedded cluster does not; see MockClusterBehaviourTests). Without holding (<see cref="StreamsConfig.HoldOutput"/>
/// false) each record goes into the open transaction as it is made, as in Kafka Streams: the transaction begins with
/// the first record, and the commit waits only for what is still in flight. At-least-once sends at once. Held output
/// can also be committed beside the processing that follows (<see cref="BeginCommit"/>): the output sent meanwhile is
/// held apart for the next transaction.
/// </summary>
internal sealed class KafkaRecordCollector : IRecordCollector
{
    /// <summary>librdkafka's message.max.bytes when the producer settings do not set it.</summary>
    public const int DefaultMessageMaxBytes = 1_000_000;

    // Targets are few (the topology's sink topics and partitions); past this many the cache starts again.
    private const int MaxCachedTargets = 1024;

    private HeldOutput _pending = new();

    // The output an overlapped commit is writing. Its chunks go back to the pool on the stream thread, once the commit
    // has ended: the pool keeps returned arrays per thread, and the stream thread is the one that takes them again.
    private HeldOutput _committing = new();
    private Task? _commitInFlight;
    private readonly Dictionary<(string Topic, int Partition), TopicPartition> _targets = [];

    // One message for every produce: the client copies key, value and headers into librdkafka and keeps no reference
    // to the message, so each record need not make one. A record without headers is given this empty, never-changed
    // list, which the client would otherwise make (two objects) for each record.
    private readonly Message<byte[], byte[]> _message = new();
    private readonly Headers _noHeaders = [];
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly bool _exactlyOnce;
    private readonly bool _holdOutput;
    private Exception? _sendError;

    public KafkaRecordCollector(IProducer<byte[], byte[]> producer, bool exactlyOnce, int maxMessageBytes = DefaultMessageMaxBytes, bool holdOutput = true)
    {
        Producer = producer;
        _exactlyOnce = exactlyOnce;
        _holdOutput = holdOutput;
        MaxRecordBytes = maxMessageBytes;
        _onDelivery = OnDelivery;
    }

    public IProducer<byte[], byte[]> Producer { get; }

    /// <summary>The producer's message.max.bytes: a record over it is refused as it is sent (<see cref="EnsureFits(string, byte[], byte[], Headers, int)"/>).</summary>
    public int MaxRecordBytes { get; }

    /// <summary>A transactional call that did not return in time: the producer is used no more, and disposed once it returns.</summary>
    public TransactionCallHungException? Hung { get; private set; }

    /// <summary>Disposes the producer, or leaves that to the end of a hung call (disposing under it could block as well).</summary>
    public void DisposeProducer() => TransactionCalls.DisposeWhenIdle(Producer, Hung);

    public bool TransactionOpen { get; private set; }

    public int PendingCount => _pending.Count;

    public long PendingBytes => _pending.Bytes;

    public void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        // librdkafka refuses such a record only when it is produced, under exactly-once at the commit, where no
        // record is being processed any more: the commit would fail on every retry. Refused here instead, it is an
        // error of the record being processed, which the processing-error handler dead-letters.
        EnsureFits(topic, key, value?.Length ?? 0, headers, MaxRecordBytes);
        if (_exactlyOnce && _holdOutput)
        {
            _pending.Add(topic, partition, key, value, timestamp, headers);
            return;
        }

        // Under exactly-once a failed record fails the commit (see Produce); at least once, the first failed delivery
        // is rethrown here.
        if (_exactlyOnce)
        {
            BeginIfClosed();
        }
        else
        {
            ThrowIfSendFailed();
        }

        Produce(Target(topic, partition ?? Partition.Any.Value), Message(key, value, timestamp, headers));
    }

    /// <summary>A record with a lent value: held as a copy of it, or sent with an array of its own when nothing is held.</summary>
    public void Send(string topic, int? partition, byte[]? key, ReadOnlySpan<byte> value, long timestamp, Headers? headers)
    {
        if (_exactlyOnce && _holdOutput)
        {
            EnsureFits(topic, key, value.Length, headers, MaxRecordBytes);
            _pending.Add(topic, partition, key, value, timestamp, headers);
            return;
        }

        Send(topic, partition, key, value.ToArray(), timestamp, headers);
    }

    /// <summary>
    /// One transaction: every held record, delivered and acknowledged; only then the positions (written by
    /// <paramref name="writePositions"/>) and the group offsets; then the commit, retried while the error is
    /// retriable, as the transactional API asks. Positions go last so that even where aborted records stay visible
    /// (the embedded cluster) a visible position never points past output that was not written. A commit still in
    /// flight (<see cref="BeginCommit"/>) ends first.
    /// </summary>
    public void CommitTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout, Action writePositions)
    {
        CompleteCommit();
        try
        {
            Commit(_pending, offsets, group, timeout, writePositions);
        }
        finally
        {
            _pending.Clear();
        }
    }

    /// <summary>
    /// The same transaction as <see cref="CommitTransaction"/>, written and committed on a thread of its own while the
    /// caller goes on: what it sends from now on is held apart, for the next transaction. A commit still in flight
    /// ends first, so at most one is. <see cref="CompleteCommit"/> waits for it and throws what it failed with;
    /// <paramref name="committed"/> is called on the commit's thread once the transaction has committed.
    /// </summary>
    public void BeginCommit(IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout, Action writePositions, Action? committed = null)
    {
        CompleteCommit();
        (_pending, _committing) = (_committing, _pending);
        var held = _committing;
        _commitInFlight = Task.Factory.StartNew(
            () =>
            {
                Commit(held, offsets, group, timeout, writePositions);
                committed?.Invoke();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Whether a commit begun by <see cref="BeginCommit"/> has not been completed yet.</summary>
    public bool CommitInFlight => _commitInFlight is not null;

    /// <summary>Waits for the commit in flight, if there is one, and rethrows the exception it failed with.</summary>
    public void CompleteCommit()
    {
        if (_commitInFlight is not { } inFlight)
        {
            return;
        }

        _commitInFlight = null;
        try
        {
            inFlight.GetAwaiter().GetResult();
        }
        finally
        {
            _committing.Clear();
        }
    }

    private void Commit(HeldOutput pending, IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout, Action writePositions)
    {
        BeginIfClosed();
        foreach (var held in pending.Records())
        {
            Produce(Target(held.Topic, held.Partition), Message(held.Key, held.Value, held.Timestamp, held.Headers));
        }

        FlushOrThrow(timeout);
        writePositions();
        FlushOrThrow(timeout);
        try
        {
            if (offsets.Count > 0)
            {
                TransactionCalls.SendOffsetsToTransaction(Producer, offsets, group, timeout);
            }

            TransactionCalls.CommitTransaction(Producer, timeout);
        }
        catch (TransactionCallHungException ex)
        {
            Hung = ex;
            throw;
        }

        TransactionOpen = false;
    }

    /// <summary>
    /// Begins the transaction the next records go into. A producer that cannot (fenced, or in a fatal state) means
    /// the thread's tasks cannot go on: that is not an error of the record being processed.
    /// </summary>
    private void BeginIfClosed()
    {
        if (TransactionOpen)
        {
            return;
        }

        try
        {
            Producer.BeginTransaction();
        }
        catch (KafkaException ex)
        {
            throw new TaskMigratedException("the transaction could not begin: " + ex.Message, ex);
        }

        TransactionOpen = true;
    }

    /// <summary>Writes a record now, inside the open transaction (positions).</summary>
    public void SendNow(string topic, int partition, byte[] key, byte[] value, long timestamp) =>
        Produce(Target(topic, partition), Message(key, value, timestamp, null));

    /// <summary>The record as the producer takes it, stamped with its create time, in the one reused message.</summary>
    private Message<byte[], byte[]> Message(byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        _message.Key = key!;
        _message.Value = value!;
        _message.Timestamp = new Timestamp(timestamp, TimestampType.CreateTime);
        _message.Headers = headers ?? _noHeaders;
        return _message;
    }

    private TopicPartition Target(string topic, int partition)
    {
        if (!_targets.TryGetValue((topic, partition), out var target))
        {
            if (_targets.Count >= MaxCachedTargets)
            {
                _targets.Clear();
            }

            _targets[(topic, partition)] = target = new TopicPartition(topic, new Partition(partition));
        }

        return target;
    }

    /// <summary>
    /// Waits until librdkafka has every record produced so far acknowledged or failed. A failure needs no report here:
    /// it makes the transaction abortable, so librdkafka refuses the produces after it and the commit fails. The flush
    /// checks its count in 10 ms slices, so it ends up to 10 ms after the last acknowledgement; with the commit beside
    /// the processing, that lengthens the commit, not the processing.
    /// </summary>
    private void FlushOrThrow(TimeSpan timeout)
    {
        if (Producer.Flush(timeout) > 0)
        {
            throw new TaskMigratedException($"output not acknowledged within {timeout}; aborting the transaction");
        }
    }

    /// <summary>
    /// Drops what the failed interval produced; under exactly-once an open transaction is aborted. A commit in flight
    /// is waited for first: whether it committed or failed, the interval after it is dropped all the same.
    /// </summary>
    public void Abandon(bool abort)
    {
        try
        {
            CompleteCommit();
        }
        catch (Exception)
        {
            // What it failed with changes nothing here: its transaction, if still open, is aborted below.
        }

        _pending.Clear();
        if (abort && TransactionOpen && Hung is null)
        {
            try
            {
                TransactionCalls.AbortTransaction(Producer, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException)
            {
                // A fenced or fatal producer cannot abort; the coordinator aborts its transaction.
            }
            catch (TransactionCallHungException ex)
            {
                Hung = ex;
            }
        }

        TransactionOpen = false;
        _sendError = null;
    }

    /// <summary>Rethrows the first failed delivery.</summary>
    public void ThrowIfSendFailed()
    {
        var error = Volatile.Read(ref _sendError);
        if (error is not null)
        {
            throw new TaskMigratedException("a record could not be delivered: " + error.Message, error);
        }
    }

    /// <summary>
    /// Produces a record. Under exactly-once it has no delivery handler: a failed record makes the transaction
    /// abortable, so librdkafka refuses every produce after it (the positions included) and the commit fails; a report
    /// per record would cost a handle, a shim and a report object each, and the producer is built without them. At
    /// least once, the handler keeps the first failure for <see cref="ThrowIfSendFailed"/>.
    /// </summary>
    private void Produce(TopicPartition target, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                if (_exactlyOnce)
                {
                    Producer.Produce(target, message);
                }
                else
                {
                    Producer.Produce(target, message, _onDelivery);
                }

                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let librdkafka drain its queue, then try again.
                Producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Throws <see cref="RecordTooLargeException"/> for a record the producer would refuse as over message.max.bytes.</summary>
    internal static void EnsureFits(string topic, byte[]? key, byte[]? value, Headers? headers, int maxMessageBytes) =>
        EnsureFits(topic, key, value?.Length ?? 0, headers, maxMessageBytes);

    private static void EnsureFits(string topic, byte[]? key, int valueLength, Headers? headers, int maxMessageBytes)
    {
        var size = MessageSize(key, valueLength, headers);
        if (size > maxMessageBytes)
        {
            throw new RecordTooLargeException($"a record of {size} bytes for {topic} is over the producer's message.max.bytes ({maxMessageBytes})");
        }
    }

    /// <summary>What librdkafka counts against message.max.bytes: key, value and headers.</summary>
    private static long MessageSize(byte[]? key, int valueLength, Headers? headers)
    {
        long size = (key?.Length ?? 0) + valueLength;
        if (headers is not null)
        {
            foreach (var header in headers)
            {
                size += header.Key.Length + (header.GetValueBytes()?.Length ?? 0);
            }
        }

        return size;
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

/// <summary>An output record larger than the producer may send: an error of the record being processed, not of the thread.</summary>
public sealed class RecordTooLargeException(string message) : Exception(message);

/// <summary>Thrown by a test hook to make a stream thread behave as if its process had been killed.</summary>
internal sealed class SimulatedCrashException() : Exception("simulated crash");
