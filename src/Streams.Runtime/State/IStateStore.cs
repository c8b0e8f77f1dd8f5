namespace Streams.Runtime.State;

/// <summary>A named store owned by one task; logged stores are backed by a compacted changelog topic.</summary>
public interface IStateStore
{
    string Name { get; }

    bool Persistent { get; }
}

public interface IKeyValueStore<TKey, TValue> : IStateStore
{
    /// <summary>The value for <paramref name="key"/>, or default when absent.</summary>
    TValue? Get(TKey key);

    bool TryGet(TKey key, out TValue value);

    void Put(TKey key, TValue value);

    void Delete(TKey key);

    IEnumerable<KeyValuePair<TKey, TValue>> All();

    long ApproximateNumEntries { get; }
}

/// <summary>Values kept per key and timestamp for a retention period (dedup windows).</summary>
public interface IWindowStore<TKey, TValue> : IStateStore
{
    TimeSpan Retention { get; }

    void Put(TKey key, TValue value, long timestamp);

    /// <summary>The values stored for <paramref name="key"/> with timestamps in [from, to], oldest first.</summary>
    IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long from, long to);

    long ApproximateNumEntries { get; }
}
