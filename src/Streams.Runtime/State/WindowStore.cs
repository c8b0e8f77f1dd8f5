using System.Buffers.Binary;
using Streams.Runtime.Serdes;

namespace Streams.Runtime.State;

/// <summary>
/// Values per (key, timestamp), dropped once older than the retention relative to the newest timestamp
/// written. The bytes store holds one row per put, 0x02|segment|hash(key)|key|ts → value, where the segment is the
/// timestamp divided by half the retention (as Kafka Streams' segmented window stores do). The first 17 bytes are
/// the same for every row of a key in a segment, and a fetch reads within them: RocksDB keeps its memtable as a hash
/// over them and its files carry a Bloom filter of them (see <see cref="RocksDbBytesStore"/>). Expiry deletes whole segments, each
/// with one range delete, so no expiry index is written beside the data: a put costs one insert into RocksDB's
/// memtable, not two. A fetch reads the (at most three) live segments its time range covers, and never returns a row
/// older than the retention even before its segment is deleted.
/// The changelog carries key|ts → value (compact,delete with the retention), as Kafka Streams' windowed changelogs do.
/// A Bloom filter of every key written (<see cref="KeyFilter"/>) answers most fetches of a key never seen without
/// reading the bytes store. Puts are held in a write batch until a read needs the bytes store (a fetch the filter
/// cannot answer, expiry), the batch is full, or the store flushes or closes: RocksDB takes them in one write
/// instead of a native write per put. The changelog is written at once, as before.
/// </summary>
internal sealed class WindowStore<TKey, TValue> : StateStoreBase, IWindowStore<TKey, TValue>
{
    // Rows of an earlier layout (0x00|key|ts → value with an expiry index 0x01|ts|key) are moved to this one on open.
    private const byte OldDataPrefix = 0x00;
    private const byte DataPrefix = 0x02;
    private const int SegmentBytes = 8;
    private const int HashBytes = 8;

    // 0x02|segment|hash(key): what every row of one key in one segment starts with.
    private const int RowPrefixLength = 1 + SegmentBytes + HashBytes;
    private const int MaxBufferedWrites = 4096;
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;
    private readonly long _retentionMs;
    private readonly long _segmentMs;
    private long _observedTime = long.MinValue;

    // Segments below this one hold nothing: they were deleted, or never written.
    private long _firstLiveSegment = long.MinValue;

    // The segments that may hold rows: a fetch reads only these, not every segment its time range covers.
    private readonly SortedSet<long> _segments = [];
    private long _lastSegment = long.MinValue;
    private KeyFilter _written = new();

    // The hash the filter last answered "never written" for, until the next add: the put that follows a fetch of a
    // new key (deduplication's fetch-then-put) adds it without asking every layer of the filter again.
    private ulong? _absentHash;
    private readonly List<KeyValuePair<byte[], byte[]?>> _buffered = [];
    private TKey? _lastKey;
    private byte[]? _lastKeyBytes;

    public WindowStore(string name, bool persistent, bool logged, TimeSpan retention, Serde<TKey> keySerde, Serde<TValue> valueSerde)
        : base(name, persistent, logged)
    {
        Retention = retention;
        _retentionMs = (long)retention.TotalMilliseconds;
        _segmentMs = Math.Max(1, _retentionMs / 2);
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public TimeSpan Retention { get; }

    public long ApproximateNumEntries => Inner.ApproximateCount;

    public void Put(TKey key, TValue value, long timestamp)
    {
        var keyBytes = KeyBytes(key);
        var changelogKey = Compose(keyBytes, timestamp);
        var valueBytes = _valueSerde.Serialize(value, Name) ?? [];
        Log(changelogKey, valueBytes);
        var hash = KeyFilter.Hash(keyBytes);
        if (_absentHash == hash)
        {
            _written.AddAbsent(hash);
        }
        else
        {
            _written.Add(hash);
        }

        _absentHash = null;
        _buffered.Add(new(SegmentKey(SegmentOf(timestamp), hash, keyBytes, timestamp), valueBytes));
        Written(timestamp);
        if (_buffered.Count >= MaxBufferedWrites)
        {
            WriteBuffered();
        }

        Observe(timestamp);
    }

    public IEnumerable<KeyValuePair<long, TValue>> Fetch(TKey key, long from, long to)
    {
        var keyBytes = KeyBytes(key);
        var lower = Math.Max(from, _observedTime == long.MinValue ? from : SaturatingSubtract(_observedTime, _retentionMs));

        // No row is newer than the newest timestamp written.
        var upper = Math.Min(to, _observedTime);
        var hash = KeyFilter.Hash(keyBytes);
        if (lower > upper)
        {
            return [];
        }

        if (!_written.MayContain(hash))
        {
            _absentHash = hash;
            return [];
        }

        WriteBuffered();
        var expectedLength = RowPrefixLength + keyBytes.Length + 8;
        var found = new List<KeyValuePair<long, TValue>>();
        var firstSegment = Math.Max(SegmentOf(lower), _firstLiveSegment);
        var lastSegment = SegmentOf(upper);
        if (firstSegment > lastSegment)
        {
            return [];
        }

        foreach (var segment in _segments.GetViewBetween(firstSegment, lastSegment))
        {
            var start = SegmentKey(segment, hash, keyBytes, lower);

            // Just past the row at the upper bound: that row with one more byte, the same prefix.
            var end = SegmentKey(segment, hash, keyBytes, upper, extraByte: true);
            foreach (var entry in Inner.PrefixRange(start, end))
            {
                if (entry.Key.Length == expectedLength)
                {
                    found.Add(new(
                        TimestampOf(entry.Key),
                        _valueSerde.Deserialize(entry.Value, Name)));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Batched: a window store's changelog is deleted by time (compact,delete with a retention), and each entry's key is
    /// already unique (key and timestamp), so compaction has nothing to keep per key that a batch would hide.
    /// </summary>
    protected override bool BatchesLog => true;

    internal override void Restore(byte[] key, byte[]? value)
    {
        // The changelog record is key|ts → value.
        if (key.Length < 8)
        {
            return;
        }

        WriteBuffered();
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - 8));
        var hash = KeyFilter.Hash(key.AsSpan(0, key.Length - 8));
        if (value is not null)
        {
            _absentHash = null;
            _written.Add(hash);
        }

        Inner.Put(SegmentKey(SegmentOf(timestamp), hash, key.AsSpan(0, key.Length - 8), timestamp), value);
        Written(timestamp);
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
        _observedTime = long.MinValue;
        _firstLiveSegment = long.MinValue;
        _segments.Clear();
        _lastSegment = long.MinValue;
        MoveOldLayout();

        // A persistent store reopened after a clean close already holds keys: the filter must know each of them, and
        // the newest timestamp bounds what a fetch may return.
        _written = new KeyFilter();
        _absentHash = null;
        var newest = long.MinValue;
        foreach (var entry in Inner.Range([DataPrefix], [DataPrefix + 1]))
        {
            if (entry.Key.Length >= RowPrefixLength + 8)
            {
                _written.Add(entry.Key.AsSpan(RowPrefixLength, entry.Key.Length - RowPrefixLength - 8));
                var timestamp = TimestampOf(entry.Key);
                newest = Math.Max(newest, timestamp);
                Written(timestamp);
            }
        }

        if (newest != long.MinValue)
        {
            Observe(newest);
        }
    }

    /// <summary>Rewrites the rows of the earlier two-row layout, so a state directory written before keeps its contents.</summary>
    private void MoveOldLayout()
    {
        var old = Inner.Range([OldDataPrefix], [DataPrefix]).ToList();
        var moved = new List<KeyValuePair<byte[], byte[]?>>();
        foreach (var entry in old)
        {
            if (entry.Key[0] == OldDataPrefix && entry.Key.Length >= 9)
            {
                var key = entry.Key.AsSpan(1, entry.Key.Length - 9);
                var timestamp = BinaryPrimitives.ReadInt64BigEndian(entry.Key.AsSpan(entry.Key.Length - 8));
                moved.Add(new(SegmentKey(SegmentOf(timestamp), KeyFilter.Hash(key), key, timestamp), entry.Value));
            }
        }

        if (old.Count > 0)
        {
            Inner.Write(moved);
            Inner.DeleteRange([OldDataPrefix], [DataPrefix]);
        }
    }

    private void Observe(long timestamp)
    {
        if (timestamp <= _observedTime)
        {
            return;
        }

        _observedTime = timestamp;

        // Whole segments older than the retention go with one range delete.
        var firstKept = SegmentOf(SaturatingSubtract(timestamp, _retentionMs));
        if (firstKept <= _firstLiveSegment)
        {
            return;
        }

        WriteBuffered();
        Inner.DeleteRange([DataPrefix], SegmentStart(firstKept));
        _firstLiveSegment = firstKept;
        _segments.RemoveWhere(segment => segment < firstKept);
        _lastSegment = long.MinValue;
    }

    private void Written(long timestamp)
    {
        var segment = SegmentOf(timestamp);
        if (segment != _lastSegment)
        {
            _segments.Add(segment);
            _lastSegment = segment;
        }
    }

    protected override int? PrefixLength => RowPrefixLength;

    private long SegmentOf(long timestamp) => timestamp >= 0 ? timestamp / _segmentMs : ((timestamp + 1) / _segmentMs) - 1;

    private static long SaturatingSubtract(long value, long delta) => value < long.MinValue + delta ? long.MinValue : value - delta;

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

    /// <summary>
    /// 0x02|segment|hash(key)|key|ts, the hash being <see cref="KeyFilter.Hash"/>, as the key filter uses it. Segment
    /// and timestamp have their sign bits flipped so that negative values sort first.
    /// </summary>
    private static byte[] SegmentKey(long segment, ulong hash, ReadOnlySpan<byte> key, long timestamp, bool extraByte = false)
    {
        var bytes = new byte[RowPrefixLength + key.Length + 8 + (extraByte ? 1 : 0)];
        bytes[0] = DataPrefix;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), segment ^ long.MinValue);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1 + SegmentBytes), hash);
        key.CopyTo(bytes.AsSpan(RowPrefixLength));
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(RowPrefixLength + key.Length), timestamp ^ long.MinValue);
        return bytes;
    }

    /// <summary>The first key of a segment, as a range bound.</summary>
    private static byte[] SegmentStart(long segment)
    {
        var bytes = new byte[1 + SegmentBytes];
        bytes[0] = DataPrefix;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), segment ^ long.MinValue);
        return bytes;
    }

    private static long TimestampOf(byte[] dataKey) => BinaryPrimitives.ReadInt64BigEndian(dataKey.AsSpan(dataKey.Length - 8)) ^ long.MinValue;
}
