using RocksDbSharp;

namespace Streams.Runtime.State;

/// <summary>A RocksDB database in the task's state directory. The WAL is off: the changelog topic is the log.</summary>
internal sealed class RocksDbBytesStore : IBytesStore
{
    private readonly RocksDb _db;
    private readonly WriteOptions _write = new WriteOptions().DisableWal(1);
    private readonly WriteBatch _batch = new();

    /// <summary>RocksDB's memtable size per store (its default is 64 MB).</summary>
    internal const ulong WriteBufferBytes = 4 << 20;

    public RocksDbBytesStore(string directory)
    {
        Directory.CreateDirectory(directory);
        // A small memtable: a put is an insert into a skip list, whose cost grows with its size once it no longer fits
        // in the CPU's caches, and a task holds one database per store, so memory stays bounded with many tasks.
        var options = new DbOptions().SetCreateIfMissing(true).SetWriteBufferSize(WriteBufferBytes);
        _db = RocksDb.Open(options, directory);
    }

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

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[]? from, byte[]? toExclusive)
    {
        var results = new List<KeyValuePair<byte[], byte[]>>();
        using var it = _db.NewIterator();
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
