using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Runtime;

/// <summary>
/// The transactional producer's blocking calls, each held to a limit the caller can rely on. librdkafka's
/// transactional calls take a timeout, but one can block far past it: on the embedded cluster a
/// send_offsets_to_transaction stayed blocked for minutes after TxnOffsetCommit errors and a broker going down and up,
/// so the stream thread never finished its commit, its close ran out of time, and its consumer stayed in the group.
/// A call that outlives its limit throws <see cref="TransactionCallHungException"/>; the producer it was made on must
/// then not be used or disposed until the call returns (<see cref="DisposeWhenIdle"/>), and its owner goes on with a
/// new producer under the same transactional id, which fences the old one.
/// </summary>
public static class TransactionCalls
{
    /// <summary>Grace beyond the call's own timeout before it counts as hung.</summary>
    public static TimeSpan Limit(TimeSpan timeout) => timeout + timeout + TimeSpan.FromSeconds(1);

    public static void InitTransactions(IProducer<byte[], byte[]> producer, TimeSpan timeout) =>
        Run(() => producer.InitTransactions(timeout), Limit(timeout), "InitTransactions");

    public static void SendOffsetsToTransaction(IProducer<byte[], byte[]> producer, IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, TimeSpan timeout) =>
        Run(() => producer.SendOffsetsToTransaction(offsets, group, timeout), Limit(timeout), "SendOffsetsToTransaction");

    public static void AbortTransaction(IProducer<byte[], byte[]> producer, TimeSpan timeout) =>
        Run(() => producer.AbortTransaction(timeout), Limit(timeout), "AbortTransaction");

    /// <summary>
    /// Commits, calling again while the outcome is unknown (a retriable error), as the transactional API asks, for up to
    /// three timeouts.
    /// </summary>
    public static void CommitTransaction(IProducer<byte[], byte[]> producer, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Run(() => producer.CommitTransaction(timeout), Limit(timeout), "CommitTransaction");
                return;
            }
            catch (KafkaRetriableException) when (watch.Elapsed < timeout * 3)
            {
                // The commit's outcome is unknown; calling it again is the documented way to learn it.
            }
        }
    }

    /// <summary>Disposes <paramref name="client"/> now, or once the hung call made on it returns.</summary>
    public static void DisposeWhenIdle(IDisposable client, TransactionCallHungException? hung)
    {
        if (hung is null)
        {
            client.Dispose();
        }
        else
        {
            hung.Pending.ContinueWith(
                call =>
                {
                    _ = call.Exception; // observed: the call's own outcome no longer matters to anyone
                    client.Dispose();
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    private static void Run(Action call, TimeSpan limit, string name)
    {
        // A thread of its own: a call that hangs must not hold one of the pool's.
        var task = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(limit))
        {
            throw new TransactionCallHungException(name, limit, task);
        }

        // Rethrows the call's own exception (KafkaRetriableException, KafkaTxnRequiresAbortException, ...) as it was.
        task.GetAwaiter().GetResult();
    }
}

/// <summary>A transactional call of the producer did not return within its limit; it goes on in <see cref="Pending"/>.</summary>
public sealed class TransactionCallHungException(string call, TimeSpan limit, Task pending)
    : Exception($"{call} did not return within {limit.TotalSeconds:0.#} s; the producer is replaced")
{
    public Task Pending { get; } = pending;
}
