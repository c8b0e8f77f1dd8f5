namespace Streams.Runtime.State;

/// <summary>
/// Keys in a sorted set for ranges (a view between two bounds is found in O(log n), not by walking from the first
/// key) and values in a hash map for point reads.
/// </summary>
internal sealed class InMemoryBytesStore : IBytesStore
{
    private readonly SortedSet<byte[]> _keys = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], byte[]> _values = new(ByteArrayComparer.Instance);

    public long ApproximateCount => _values.Count;

    public byte[]? Get(byte[] key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Put(byte[] key, byte[]? value)
    {
        if (value is null)
        {
            if (_values.Remove(key))
            {
                _keys.Remove(key);
            }
        }
        else
        {
            if (_values.TryAdd(key, value))
            {
                _keys.Add(key);
            }
            else
            {
                _values[key] = value;
            }
        }
    }

    public void Write(IReadOnlyList<KeyValuePair<byte[], byte[]?>> writes)
    {
        foreach (var (key, value) in writes)
        {
            Put(key, value);
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[]? from, byte[]? toExclusive)
    {
        if (_keys.Count == 0)
        {
            return [];
        }

        var cmp = ByteArrayComparer.Instance;
        var lower = from ?? _keys.Min!;
        var upper = toExclusive ?? _keys.Max!;
        if (cmp.Compare(lower, upper) > 0)
        {
            return [];
        }

        // Snapshot the matching entries so callers may modify the store while iterating (expiry does).
        var hits = new List<KeyValuePair<byte[], byte[]>>();
        foreach (var key in _keys.GetViewBetween(lower, upper))
        {
            if (toExclusive is not null && cmp.Compare(key, toExclusive) >= 0)
            {
                break;
            }

            hits.Add(new KeyValuePair<byte[], byte[]>(key, _values[key]));
        }

        return hits;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> PrefixRange(byte[] from, byte[] toExclusive) => Range(from, toExclusive);

    public void DeleteRange(byte[] from, byte[] toExclusive)
    {
        foreach (var (key, _) in Range(from, toExclusive))
        {
            Put(key, null);
        }
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
        _keys.Clear();
        _values.Clear();
    }
}
