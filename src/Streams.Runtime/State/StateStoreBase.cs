using Streams.Runtime.Internals;

namespace Streams.Runtime.State;

/// <summary>What a task gives a store when it opens it.</summary>
internal sealed record StoreContext(
    string Directory,
    IRecordCollector Collector,
    string? ChangelogTopic,
    int Partition,
    Func<long> Timestamp)
{
    /// <summary>
    /// Bytes of entries past which a changelog batch is sent: <see cref="ChangelogBatch.MaxBytes"/>, or half the
    /// largest record the collector sends if that is less, so a full batch plus its last entry (at most half as much
    /// again) stays within it.
    /// </summary>
    public int BatchBytes => Math.Min(ChangelogBatch.MaxBytes, Collector.MaxRecordBytes / 2);
}

/// <summary>
/// The machinery shared by every store: the bytes engine under it, and the changelog every write goes to
/// (inside the task's transaction, so the log and the output commit together).
/// </summary>
internal abstract class StateStoreBase : IStateStore
{
    private StoreContext? _context;
    private ChangelogBatch? _batch;

    protected StateStoreBase(string name, bool persistent, bool logged)
    {
        Name = name;
        Persistent = persistent;
        Logged = logged;
    }

    public string Name { get; }

    public bool Persistent { get; }

    public bool Logged { get; }

    internal IBytesStore Inner { get; private set; } = null!;

    internal string? ChangelogTopic => _context?.ChangelogTopic;

    internal void Open(StoreContext context)
    {
        _context = context;
        Inner = Persistent ? new RocksDbBytesStore(context.Directory, PrefixLength) : new InMemoryBytesStore();
        Opened();
    }

    /// <summary>The length of the key prefix every read of the store stays within, if there is one (see <see cref="IBytesStore.PrefixRange"/>).</summary>
    protected virtual int? PrefixLength => null;

    /// <summary>Writes what the store holds back from the bytes store (before a flush or a clean close).</summary>
    protected virtual void WriteBuffered()
    {
    }

    /// <summary>Called once the bytes store is open (it may already hold the entries of an earlier run).</summary>
    protected virtual void Opened()
    {
    }

    /// <summary>
    /// Whether the changelog gets this store's entries in batches (<see cref="ChangelogBatch"/>), sent when a batch is
    /// full and before each commit (<see cref="FlushLog"/>): only for a store whose changelog is deleted by time
    /// rather than compacted by key.
    /// </summary>
    protected virtual bool BatchesLog => false;

    /// <summary>Applies one changelog entry during restoration, bypassing the log.</summary>
    internal virtual void Restore(byte[] key, byte[]? value) => Inner.Put(key, value);

    /// <summary>Applies one changelog record during restoration: a batch entry by entry, in the order they were written.</summary>
    internal void RestoreRecord(byte[] key, byte[]? value, Confluent.Kafka.Headers? headers)
    {
        if (!ChangelogBatch.IsBatch(headers))
        {
            Restore(key, value);
            return;
        }

        foreach (var (entryKey, entryValue) in ChangelogBatch.Read(value ?? []))
        {
            Restore(entryKey, entryValue);
        }
    }

    /// <summary>Sends the changelog entries batched so far, if any: called before each commit, whose transaction carries them.</summary>
    internal void FlushLog()
    {
        if (_batch is { Count: > 0 } batch && _context is { ChangelogTopic: not null } ctx)
        {
            ctx.Collector.Send(ctx.ChangelogTopic, ctx.Partition, ChangelogBatch.NewKey(), batch.Value, batch.Timestamp, ChangelogBatch.NewHeaders());
            batch.Clear();
        }
    }

    internal void Flush()
    {
        WriteBuffered();
        Inner.Flush();
    }

    internal void Close()
    {
        WriteBuffered();
        Inner.Flush();
        Inner.Dispose();
    }

    /// <summary>Closes without flushing; the caller deletes the directory afterwards.</summary>
    internal void CloseDirty()
    {
        _batch?.Clear();
        Inner?.Dispose();
    }

    protected void WriteAndLog(byte[] key, byte[]? value)
    {
        Inner.Put(key, value);
        Log(key, value);
    }

    protected void Log(byte[] key, byte[]? value)
    {
        if (!Logged || _context is not { ChangelogTopic: not null } ctx)
        {
            return;
        }

        var large = key.Length + (value?.Length ?? 0) > ctx.BatchBytes / 2;
        if (BatchesLog && !large)
        {
            (_batch ??= new ChangelogBatch()).Add(key, value, ctx.Timestamp());
            if (_batch.Bytes >= ctx.BatchBytes)
            {
                FlushLog();
            }

            return;
        }

        // An entry too large to batch goes alone, after the batch before it, so restoration applies them in order;
        // one over the producer's limit then fails the record being processed, as an unbatched entry does.
        FlushLog();
        ctx.Collector.Send(ctx.ChangelogTopic, ctx.Partition, key, value, ctx.Timestamp(), null);
    }
}
