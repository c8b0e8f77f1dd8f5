using System.Buffers;
using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>
/// The output of a commit interval, held until the commit. Keys and values are copied into large pooled chunks, so
/// the arrays the serializers made die young: held as they were, a commit interval's worth of arrays outlived one or
/// two young collections each, and the garbage collector copied them into the older generations and then collected
/// those (a tenth of the stream thread's time in the benchmark). A record's arrays are made again only as it is sent.
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

    public void Add(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        var keySlice = Copy(key);
        var valueSlice = Copy(value);
        _records.Add(new Held(topic, partition ?? Partition.Any.Value, keySlice, valueSlice, timestamp, headers));
        Bytes += (key?.Length ?? 0) + (value?.Length ?? 0) + 64;
    }

    /// <summary>Each held record in the order it was added, as a message with arrays of its own.</summary>
    public IEnumerable<(TopicPartition Target, Message<byte[], byte[]> Message)> Records()
    {
        foreach (var held in _records)
        {
            yield return (
                new TopicPartition(held.Topic, new Partition(held.Partition)),
                KafkaRecordCollector.NewMessage(ToArray(held.Key), ToArray(held.Value), held.Timestamp, held.Headers));
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

    private Slice Copy(byte[]? bytes)
    {
        if (bytes is null)
        {
            return new Slice(null, 0, -1);
        }

        if (bytes.Length == 0)
        {
            return new Slice([], 0, 0);
        }

        // A record larger than a chunk keeps its own array.
        if (bytes.Length > ChunkBytes / 4)
        {
            return new Slice(bytes, 0, bytes.Length);
        }

        if (_used + bytes.Length > ChunkBytes)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkBytes));
            _used = 0;
        }

        var chunk = _chunks[^1];
        bytes.CopyTo(chunk, _used);
        var slice = new Slice(chunk, _used, bytes.Length);
        _used += bytes.Length;
        return slice;
    }

    private static byte[]? ToArray(Slice slice) => slice.Length < 0 ? null : slice.Array.AsSpan(slice.Offset, slice.Length).ToArray();

    private readonly record struct Slice(byte[]? Array, int Offset, int Length);

    private readonly record struct Held(string Topic, int Partition, Slice Key, Slice Value, long Timestamp, Headers? Headers);
}
