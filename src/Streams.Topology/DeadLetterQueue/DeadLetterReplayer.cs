using Confluent.Kafka;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>What a replay wrote.</summary>
public sealed record ReplayResult(int Replayed, int AlreadyReplayed, int Transactions);

/// <summary>
/// Writes each planned dead letter's original key, value and timestamp byte for byte back to its origin topic and
/// partition, with headers saying it was replayed and from where. Batches go in Kafka transactions that also carry
/// the replay ledger and the group's offsets (SendOffsetsToTransaction), so an interrupted replay, run again,
/// sends every record exactly once; the transactional id is per topic, so a second replay of the same topic fences the
/// first and reads the ledger only after that. As in the engine, a batch is held until its transaction begins: a replay stopped
/// between transactions leaves nothing half-written, even where aborted records stay visible (the embedded cluster).
/// </summary>
public sealed class DeadLetterReplayer(DeadLetterCluster cluster, ReplayMetrics metrics)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Called after each committed transaction with the number replayed so far.</summary>
    public Action<int>? Committed { get; init; }

    public ReplayResult Replay(ReplayPlan plan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (plan.Pending.Count == 0)
        {
            return new ReplayResult(0, plan.AlreadyReplayed, 0);
        }

        using var group = cluster.NewConsumer(plan.GroupId);
        using var producer = cluster.NewTransactionalProducer(plan.GroupId);
        producer.InitTransactions(Timeout);

        // Only now, with any earlier replay of this topic fenced and its open transaction ended, is the ledger final.
        var ledger = ReplayLedger.Read(cluster, plan.Topic, plan.Topics);
        var pending = plan.Pending.Where(r => !ledger.WasReplayed(r)).ToList();
        var already = plan.AlreadyReplayed + plan.Pending.Count - pending.Count;
        var replayed = 0;
        var transactions = 0;
        var groupOffsets = new Dictionary<int, long>();
        foreach (var batch in pending.Chunk(batchSize))
        {
            var messages = new List<(TopicPartition Target, Message<byte[], byte[]> Message)>(batch.Length);
            foreach (var record in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                messages.Add((Target(record, plan.Topics), new Message<byte[], byte[]>
                {
                    Key = record.Key!,
                    Value = record.Value!,
                    Timestamp = new Timestamp(record.Timestamp, TimestampType.CreateTime),
                    Headers = record.ReplayHeaders(),
                }));
                groupOffsets[record.Partition] = Math.Max(groupOffsets.GetValueOrDefault(record.Partition), record.Offset + 1);
            }

            Commit(producer, group, plan, ledger, batch, messages, groupOffsets);
            transactions++;
            replayed += batch.Length;
            foreach (var record in batch)
            {
                metrics.ByStage.Increment(plan.Stage);
                metrics.ByReason.Increment(record.Reason ?? string.Empty);
            }

            Committed?.Invoke(replayed);
        }

        return new ReplayResult(replayed, already, transactions);
    }

    private static void Commit(
        IProducer<byte[], byte[]> producer,
        IConsumer<byte[], byte[]> group,
        ReplayPlan plan,
        ReplayLedger ledger,
        DeadLetterRecord[] batch,
        List<(TopicPartition Target, Message<byte[], byte[]> Message)> messages,
        Dictionary<int, long> groupOffsets)
    {
        producer.BeginTransaction();
        try
        {
            Error? failure = null;
            foreach (var (target, message) in messages)
            {
                producer.Produce(target, message, r => failure ??= r.Error.IsError ? r.Error : null);
            }

            Flush(producer, () => failure);

            // The ledger goes after the records, as the engine writes its positions last.
            ledger.Record(producer, batch);
            Flush(producer, () => failure);
            producer.SendOffsetsToTransaction(
                groupOffsets.Select(o => new TopicPartitionOffset(plan.Topic, o.Key, o.Value)).ToList(), group.ConsumerGroupMetadata, Timeout);
            producer.CommitTransaction(Timeout);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            producer.AbortTransaction(Timeout);
            throw;
        }
    }

    private static void Flush(IProducer<byte[], byte[]> producer, Func<Error?> failure)
    {
        if (producer.Flush(Timeout) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"replayed records not acknowledged within {Timeout}"));
        }

        if (failure() is { } error)
        {
            throw new KafkaException(error);
        }
    }

    // The partition it came from when the origin topic still has it, so keys keep their order; else the partitioner's.
    private static TopicPartition Target(DeadLetterRecord record, IReadOnlyDictionary<string, int> topics) =>
        record.OriginPartition is { } p && p >= 0 && p < topics[record.OriginTopic!]
            ? new TopicPartition(record.OriginTopic, p)
            : new TopicPartition(record.OriginTopic, Partition.Any);
}
