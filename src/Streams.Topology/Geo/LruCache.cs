namespace Streams.Topology.Geo;

/// <summary>
/// A bounded least-recently-used cache with hit and miss counts. Lookups come from several stream threads,
/// so every operation takes one lock; a lookup in the cache is far cheaper than one in the database.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _index;
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recency = new();
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _index = new Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>>(Math.Min(capacity, 1024));
    }

    public int Capacity { get; }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                value = node.Value.Value;
                return true;
            }

            _misses++;
            value = default!;
            return false;
        }
    }

    /// <summary>Adds or replaces <paramref name="key"/>, evicting the least recently used entry when full.</summary>
    public void Set(TKey key, TValue value)
    {
        if (Capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_index.Remove(key, out var existing))
            {
                _recency.Remove(existing);
            }
            else if (_index.Count >= Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }

            _index[key] = _recency.AddFirst(new KeyValuePair<TKey, TValue>(key, value));
        }
    }
}
