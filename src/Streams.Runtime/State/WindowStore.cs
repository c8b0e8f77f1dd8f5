using System.Buffers.Binary;
using Streams.Runtime.Serdes;

namespace Streams.Runtime.State;

/// <summary>
/// Values per (key, timestamp), dropped once older than the retention relative to the newest timestamp
/// written. Layout in the bytes store: 0x00|key|ts → value, and an expiry index 0x01|ts|key → empty.
/// The changelog carries key|ts → value (compact,delete with the retention), as Kafka Streams' windowed changelogs do.
/// A Bloom filter of every key written (<see cref="KeyFilter"/>) answers most fetches of a key never seen without
/// reading the bytes store. Puts are held in a write batch until a read needs the bytes store (a fetch the filter
/// cannot answer, expiry), the batch is full, or the store flushes or closes: RocksDB takes them in one write
/// instead of two native writes per put. The changelog is written at once, as before.
/// </summary>
internal sealed class WindowStore<TKey, TValue> : StateStoreBase, IWindowStore<TKey, TValue>
{
    private const byte DataPrefix = 0x00;
    private const byte IndexPrefix = 0x01;
    private const int MaxBufferedWrites = 4096;
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;
    private long _observedTime = long.MinValue;
    private long _expiredUpTo = long.MinValue;
    private KeyFilter _written = new();
    private readonly List<KeyValuePair<byte[], byte[]?>> _buffered = [];
    private TKey? _lastKey;
    private byte[]? _lastKeyBytes;

    public WindowStore(string name, bool persistent, bool logged, TimeSpan retention, Serde<TKey> keySerde, Serde<TValue> valueSerde)
        : base(name, persistent, logged)
    {
        Retention = retention;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public TimeSpan Retention { get; }

    public long ApproximateNumEntries => Inner.ApproximateCount / 2;

    public void Put(TKey key, TValue value, long timestamp)
    {
        var keyBytes = KeyBytes(key);
        var changelogKey = Compose(keyBytes, timestamp);
        var valueBytes = _valueSerde.Serialize(value, Name) ?? [];
        Log(changelogKey, valueBytes);
        _written.Add(keyBytes);
        _buffered.Add(new(Prefixed(DataPrefix, changelogKey), valueBytes));
        _buffered.Add(new(IndexKey(timestamp, keyBytes), []));
        if (_buffered.Count >= MaxBufferedWrites)
        {
            WriteBuffered();
        }

        Observe(timestamp);
    }

    public IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long from, long to)
    {
        var keyBytes = KeyBytes(key);
        var lower = Math.Max(from, _observedTime == long.MinValue ? from : _observedTime - (long)Retention.TotalMilliseconds);
        if (lower > to || !_written.MayContain(keyBytes))
        {
            return [];
        }

        WriteBuffered();
        var start = Prefixed(DataPrefix, Compose(keyBytes, lower));
        var end = Prefixed(DataPrefix, Compose(keyBytes, to == long.MaxValue ? to : to + 1));
        var expectedLength = 1 + keyBytes.Length + 8;
        return Inner.Range(start, end)
            .Where(e => e.Key.Length == expectedLength)
            .Select(e => new KeyValuePair<long, TValue>(
                BinaryPrimitives.ReadInt64BigEndian(e.Key.AsSpan(1 + keyBytes.Length)),
                _valueSerde.Deserialize(e.Value, Name)))
            .ToList();
    }

    internal override void Restore(byte[] key, byte[]? value)
    {
        // The changelog record is key|ts → value; rebuild both the data row and the expiry index.
        if (key.Length < 8)
        {
            return;
        }

        WriteBuffered();
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - 8));
        var keyBytes = key[..^8];
        if (value is not null)
        {
            _written.Add(keyBytes);
        }

        Inner.Put(Prefixed(DataPrefix, key), value);
        Inner.Put(IndexKey(timestamp, keyBytes), value is null ? null : []);
        Observe(timestamp);
    }

    protected override void WriteBuffered()
    {
        if (_buffered.Count > 0)
        {
            Inner.Write(_buffered);
            _buffered.Clear();
        }
    }

    protected override void Opened()
    {
        _buffered.Clear();
        // A persistent store reopened after a clean close already holds keys: the filter must know each of them.
        _written = new KeyFilter();
        foreach (var entry in Inner.Range([DataPrefix], [IndexPrefix]))
        {
            if (entry.Key.Length >= 9)
            {
                _written.Add(entry.Key.AsSpan(1, entry.Key.Length - 9));
            }
        }
    }

    private void Observe(long timestamp)
    {
        if (timestamp <= _observedTime)
        {
            return;
        }

        _observedTime = timestamp;
        var cutoff = timestamp - (long)Retention.TotalMilliseconds;
        // Expire in steps of a tenth of the retention so the index is scanned rarely.
        if (cutoff - _expiredUpTo < Math.Max(1, (long)Retention.TotalMilliseconds / 10))
        {
            return;
        }

        WriteBuffered();
        var upTo = new byte[9];
        upTo[0] = IndexPrefix;
        BinaryPrimitives.WriteInt64BigEndian(upTo.AsSpan(1), cutoff ^ long.MinValue);
        foreach (var entry in Inner.Range([IndexPrefix], upTo))
        {
            var ts = BinaryPrimitives.ReadInt64BigEndian(entry.Key.AsSpan(1)) ^ long.MinValue;
            var keyBytes = entry.Key[9..];
            Inner.Put(entry.Key, null);
            Inner.Put(Prefixed(DataPrefix, Compose(keyBytes, ts)), null);
        }

        _expiredUpTo = cutoff;
    }

    /// <summary>
    /// The key's bytes; a put right after a fetch of the same string key (the dedup step's pattern) reuses them.
    /// Only strings: a mutable key (a byte array) may hold other contents the next time.
    /// </summary>
    private byte[] KeyBytes(TKey key)
    {
        if (_lastKeyBytes is not null && key is string && EqualityComparer<TKey>.Default.Equals(key, _lastKey))
        {
            return _lastKeyBytes;
        }

        var bytes = _keySerde.Serialize(key, Name, Confluent.Kafka.MessageComponentType.Key)
            ?? throw new ArgumentException($"store '{Name}': a key must not serialize to null");
        _lastKey = key;
        _lastKeyBytes = bytes;
        return bytes;
    }

    private static byte[] Compose(byte[] key, long timestamp)
    {
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), timestamp);
        return bytes;
    }

    private static byte[] IndexKey(long timestamp, byte[] key)
    {
        // Flip the sign bit so that negative timestamps sort before positive ones.
        var bytes = new byte[9 + key.Length];
        bytes[0] = IndexPrefix;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), timestamp ^ long.MinValue);
        key.CopyTo(bytes, 9);
        return bytes;
    }

    private static byte[] Prefixed(byte prefix, byte[] key)
    {
        var bytes = new byte[key.Length + 1];
        bytes[0] = prefix;
        key.CopyTo(bytes, 1);
        return bytes;
    }
}
