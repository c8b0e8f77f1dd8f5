using System.Buffers;
using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>
/// The output of a commit interval, held until the commit. Keys and values are copied into large pooled chunks, so
/// the arrays the serializers made die young: held as they were, a commit interval's worth of arrays outlived one or
/// two young collections each, and the garbage collector copied them into the older generations and then collected
/// those (a tenth of the stream thread's time in the benchmark). A value can also be copied in from a serializer's own
/// buffer, with no array made for it at all. A record's arrays are made again only as it is sent.
/// </summary>
internal sealed class HeldOutput
{
    private const int ChunkBytes = 1 << 20;
    private readonly List<Held> _records = [];
    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkBytes;

    public int Count => _records.Count;

    /// <summary>Bytes held, with a rough allowance for each record's metadata.</summary>
    public long Bytes { get; private set; }

    public void Add(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers) =>
        Add(topic, partition, key, Copy(value), timestamp, headers);

    /// <summary>Holds a record whose value is copied from <paramref name="value"/> (a serializer's buffer, say).</summary>
    public void Add(string topic, int? partition, byte[]? key, ReadOnlySpan<byte> value, long timestamp, Headers? headers) =>
        Add(topic, partition, key, Copy(value), timestamp, headers);

    /// <summary>Each held record in the order it was added, with arrays of its own.</summary>
    public IEnumerable<HeldRecord> Records()
    {
        foreach (var held in _records)
        {
            yield return new HeldRecord(held.Topic, held.Partition, ToArray(held.Key), ToArray(held.Value), held.Timestamp, held.Headers);
        }
    }

    /// <summary>Drops every held record and gives the chunks back to the pool.</summary>
    public void Clear()
    {
        _records.Clear();
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        _used = ChunkBytes;
        Bytes = 0;
    }

    private void Add(string topic, int? partition, byte[]? key, Slice value, long timestamp, Headers? headers)
    {
        _records.Add(new Held(topic, partition ?? Partition.Any.Value, Copy(key), value, timestamp, headers));
        Bytes += (key?.Length ?? 0) + Math.Max(0, value.Length) + 64;
    }

    private Slice Copy(byte[]? bytes)
    {
        if (bytes is null)
        {
            return new Slice(null, 0, -1);
        }

        // A record larger than a chunk keeps its own array.
        return bytes.Length > ChunkBytes / 4 ? new Slice(bytes, 0, bytes.Length) : Copy(bytes.AsSpan());
    }

    private Slice Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new Slice([], 0, 0);
        }

        if (bytes.Length > ChunkBytes / 4)
        {
            return new Slice(bytes.ToArray(), 0, bytes.Length);
        }

        if (_used + bytes.Length > ChunkBytes)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkBytes));
            _used = 0;
        }

        var chunk = _chunks[^1];
        bytes.CopyTo(chunk.AsSpan(_used));
        var slice = new Slice(chunk, _used, bytes.Length);
        _used += bytes.Length;
        return slice;
    }

    private static byte[]? ToArray(Slice slice) => slice.Length < 0 ? null : slice.Array.AsSpan(slice.Offset, slice.Length).ToArray();

    private readonly record struct Slice(byte[]? Array, int Offset, int Length);

    private readonly record struct Held(string Topic, int Partition, Slice Key, Slice Value, long Timestamp, Headers? Headers);
}

/// <summary>A held record as it is sent: its partition is <see cref="Partition.Any"/>'s value when the partitioner chooses.</summary>
internal readonly record struct HeldRecord(string Topic, int Partition, byte[]? Key, byte[]? Value, long Timestamp, Headers? Headers);
