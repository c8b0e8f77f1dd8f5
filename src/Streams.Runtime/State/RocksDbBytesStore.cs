using RocksDbSharp;

namespace Streams.Runtime.State;

/// <summary>
/// A RocksDB database in the task's state directory. The WAL is off: the changelog topic is the log.
/// A store whose reads are all within one key prefix (a window store: a key's rows in one segment) gives the prefix
/// length: the memtable is then a hash of small skip lists, one per prefix, so a put with a random key costs a hash
/// lookup instead of a search through a skip list of every row (a cache miss per level); and the table files carry a
/// Bloom filter of prefixes, so a seek skips every file that cannot hold the prefix.
/// </summary>
internal sealed class RocksDbBytesStore : IBytesStore
{
    // Hash buckets per memtable: about one per row a 4 MB memtable holds.
    private const ulong PrefixBuckets = 1 << 16;
    private readonly RocksDb _db;
    private readonly WriteOptions _write = new WriteOptions().DisableWal(1);
    private readonly WriteBatch _batch = new();

    // With a prefix extractor, a seek sees only its own prefix unless it asks for the total order.
    private readonly ReadOptions _totalOrder = new ReadOptions().SetTotalOrderSeek(true);
    private readonly ReadOptions _samePrefix = new ReadOptions().SetPrefixSameAsStart(true);

    /// <summary>The block cache of every store in the process, in bytes.</summary>
    internal const ulong BlockCacheBytes = 16 << 20;

    // One block cache for all stores, as Kafka Streams' bounded-memory RocksDB configuration has: without it each
    // database gets RocksDB's own 32 MB cache, and a process with many tasks holds up to that much per store.
    private static readonly Cache SharedBlockCache = Cache.CreateLru(BlockCacheBytes);

    /// <summary>RocksDB's memtable size per store (its default is 64 MB).</summary>
    internal const ulong WriteBufferBytes = 4 << 20;

    public RocksDbBytesStore(string directory, int? prefixLength = null)
    {
        Directory.CreateDirectory(directory);
        // A small memtable: an insert into a skip list costs more as it outgrows the CPU's caches, and a task holds
        // one database per store, so memory stays bounded with many tasks.
        // No compression, as Kafka Streams configures RocksDB: state is small and short-lived, and its keys are mostly
        // ids and hashes that do not compress, so compressing would cost CPU at every flush and read for little space.
        var options = new DbOptions().SetCreateIfMissing(true).SetWriteBufferSize(WriteBufferBytes).SetCompression(Compression.No);
        var table = new BlockBasedTableOptions().SetBlockCache(SharedBlockCache);
        if (prefixLength is { } length)
        {
            options.SetPrefixExtractor(SliceTransform.CreateFixedPrefix((ulong)length))
                .SetHashSkipListRep(PrefixBuckets, 4, 4)
                .SetAllowConcurrentMemtableWrite(false);
            table.SetFilterPolicy(BloomFilterPolicy.Create(10, false)).SetWholeKeyFiltering(false);
        }

        options.SetBlockBasedTableFactory(table);

        PrefixLength = prefixLength;
        _db = RocksDb.Open(options, directory);
    }

    /// <summary>The fixed prefix every key of this store has (at least this long), if the store was opened with one.</summary>
    public int? PrefixLength { get; }

    /// <summary>The capacity and the current use of the block cache this store reads through, in bytes.</summary>
    internal (ulong Capacity, ulong Usage) BlockCache =>
        (ulong.Parse(_db.GetProperty("rocksdb.block-cache-capacity"), System.Globalization.CultureInfo.InvariantCulture),
         ulong.Parse(_db.GetProperty("rocksdb.block-cache-usage"), System.Globalization.CultureInfo.InvariantCulture));

    public long ApproximateCount => long.TryParse(_db.GetProperty("rocksdb.estimate-num-keys"), out var n) ? n : 0;

    public byte[]? Get(byte[] key) => _db.Get(key);

    public void Put(byte[] key, byte[]? value)
    {
        if (value is null)
        {
            _db.Remove(key, null, _write);
        }
        else
        {
            _db.Put(key, value, null, _write);
        }
    }

    public void Write(IReadOnlyList<KeyValuePair<byte[], byte[]?>> writes)
    {
        _batch.Clear();
        foreach (var (key, value) in writes)
        {
            if (value is null)
            {
                _batch.Delete(key);
            }
            else
            {
                _batch.Put(key, value);
            }
        }

        _db.Write(_batch, _write);
        _batch.Clear();
    }

    public void DeleteRange(byte[] from, byte[] toExclusive)
    {
        _batch.Clear();
        _batch.DeleteRange(from, (ulong)from.Length, toExclusive, (ulong)toExclusive.Length);
        _db.Write(_batch, _write);
        _batch.Clear();
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[]? from, byte[]? toExclusive) => Scan(from, toExclusive, _totalOrder);

    public IEnumerable<KeyValuePair<byte[], byte[]>> PrefixRange(byte[] from, byte[] toExclusive) =>
        Scan(from, toExclusive, PrefixLength is { } length && from.Length >= length ? _samePrefix : _totalOrder);

    private List<KeyValuePair<byte[], byte[]>> Scan(byte[]? from, byte[]? toExclusive, ReadOptions read)
    {
        var results = new List<KeyValuePair<byte[], byte[]>>();
        using var it = _db.NewIterator(null, read);
        if (from is null)
        {
            it.SeekToFirst();
        }
        else
        {
            it.Seek(from);
        }

        for (; it.Valid(); it.Next())
        {
            var key = it.Key();
            if (toExclusive is not null && ByteArrayComparer.Instance.Compare(key, toExclusive) >= 0)
            {
                break;
            }

            results.Add(new KeyValuePair<byte[], byte[]>(key, it.Value()));
        }

        return results;
    }

    public void Flush() => _db.Flush(new FlushOptions().SetWaitForFlush(true));

    public void Dispose()
    {
        _db.Dispose();
        _batch.Dispose();
    }
}
