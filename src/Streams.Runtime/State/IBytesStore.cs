namespace Streams.Runtime.State;

/// <summary>The storage engine under a typed store: ordered byte keys to byte values.</summary>
internal interface IBytesStore : IDisposable
{
    byte[]? Get(byte[] key);

    /// <summary>Writes <paramref name="value"/>, or deletes the key when it is null.</summary>
    void Put(byte[] key, byte[]? value);

    /// <summary>Applies the writes in order, as <see cref="Put"/> would one by one (RocksDB: in one write batch).</summary>
    void Write(IReadOnlyList<KeyValuePair<byte[], byte[]?>> writes);

    /// <summary>Deletes every key with from &lt;= key &lt; toExclusive (RocksDB: one range tombstone, not a delete per key).</summary>
    void DeleteRange(byte[] from, byte[] toExclusive);

    /// <summary>Entries with from &lt;= key &lt; toExclusive in key order (null bounds are open).</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[]? from, byte[]? toExclusive);

    /// <summary>
    /// As <see cref="Range"/>, for bounds within one key prefix of the store (both bounds and every key between them
    /// share it): a store opened with that prefix length reads only that prefix, skipping files that cannot hold it.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> PrefixRange(byte[] from, byte[] toExclusive);

    long ApproximateCount { get; }

    void Flush();
}
