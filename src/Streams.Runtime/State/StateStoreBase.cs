using Streams.Runtime.Internals;

namespace Streams.Runtime.State;

/// <summary>What a task gives a store when it opens it.</summary>
internal sealed record StoreContext(
    string Directory,
    IRecordCollector Collector,
    string? ChangelogTopic,
    int Partition,
    Func<long> Timestamp);

/// <summary>
/// The machinery shared by every store: the bytes engine under it, and the changelog every write goes to
/// (inside the task's transaction, so the log and the output commit together).
/// </summary>
internal abstract class StateStoreBase : IStateStore
{
    private StoreContext? _context;

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

    /// <summary>Applies one changelog record during restoration, bypassing the log.</summary>
    internal virtual void Restore(byte[] key, byte[]? value) => Inner.Put(key, value);

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
    internal void CloseDirty() => Inner?.Dispose();

    protected void WriteAndLog(byte[] key, byte[]? value)
    {
        Inner.Put(key, value);
        Log(key, value);
    }

    protected void Log(byte[] key, byte[]? value)
    {
        if (Logged && _context is { ChangelogTopic: not null } ctx)
        {
            ctx.Collector.Send(ctx.ChangelogTopic, ctx.Partition, key, value, ctx.Timestamp(), null);
        }
    }
}
