namespace Streams.Runtime.State;

internal sealed class InMemoryBytesStore : IBytesStore
{
    private readonly SortedDictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);

    public long ApproximateCount => _entries.Count;

    public byte[]? Get(byte[] key) => _entries.TryGetValue(key, out var value) ? value : null;

    public void Put(byte[] key, byte[]? value)
    {
        if (value is null)
        {
            _entries.Remove(key);
        }
        else
        {
            _entries[key] = value;
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[]? from, byte[]? toExclusive)
    {
        // Snapshot the matching keys so callers may modify the store while iterating (expiry does).
        var cmp = ByteArrayComparer.Instance;
        var hits = _entries
            .SkipWhile(e => from is not null && cmp.Compare(e.Key, from) < 0)
            .TakeWhile(e => toExclusive is null || cmp.Compare(e.Key, toExclusive) < 0)
            .ToList();
        return hits;
    }

    public void Flush()
    {
    }

    public void Dispose() => _entries.Clear();
}
