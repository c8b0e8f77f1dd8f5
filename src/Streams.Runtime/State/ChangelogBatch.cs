using System.Buffers;
using Confluent.Kafka;

namespace Streams.Runtime.State;

/// <summary>
/// Changelog entries of one store, sent many to a record: what it costs to produce, acknowledge, store and read a
/// record is paid once per batch rather than once per put. A batch record has a key of its own (random, so neither
/// compaction nor another batch can replace it), the header <see cref="HeaderName"/>, and a value of the entries in the
/// order they were written: a format byte, then for each entry its key's length, its key, its value's length plus one
/// (zero for a delete) and its value, the lengths as unsigned LEB128 varints. Only for stores whose changelog is deleted
/// by time rather than compacted by key (window stores): compaction keeps a key's last record, and a batch hides the
/// keys of its entries from it.
/// </summary>
internal sealed class ChangelogBatch
{
    /// <summary>
    /// Bytes of entries past which a batch is sent at once: well under librdkafka's 1 MB message.max.bytes (a producer
    /// set lower gets batches of half its limit, <see cref="StoreContext.BatchBytes"/>).
    /// </summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The header that marks a batch; a record without it is one entry, as every record was before batches.</summary>
    public const string HeaderName = "streams.changelog.batch";

    private const byte Format = 1;

    private static readonly byte[] FormatValue = [Format];

    private readonly ArrayBufferWriter<byte> _buffer = new(MaxBytes + 1024);

    public ChangelogBatch() => Clear();

    public int Count { get; private set; }

    public int Bytes => _buffer.WrittenCount;

    /// <summary>The newest timestamp of the entries: the batch record's, so time-based deletion keeps it as long as any of them.</summary>
    public long Timestamp { get; private set; } = long.MinValue;

    /// <summary>The encoded batch, valid until the next <see cref="Add"/> or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Value => _buffer.WrittenSpan;

    /// <summary>A fresh header list for a batch record (each record gets its own: the collector may hold it until the commit).</summary>
    public static Headers NewHeaders() => new() { { HeaderName, FormatValue } };

    /// <summary>A key no other record of the changelog has.</summary>
    public static byte[] NewKey() => Guid.NewGuid().ToByteArray();

    public static bool IsBatch(Headers? headers) => headers is not null && headers.TryGetLastBytes(HeaderName, out _);

    public void Add(byte[] key, byte[]? value, long timestamp)
    {
        var span = _buffer.GetSpan(key.Length + (value?.Length ?? 0) + 10);
        var at = WriteVarint(span, 0, (uint)key.Length);
        key.CopyTo(span[at..]);
        at += key.Length;
        at = WriteVarint(span, at, value is null ? 0 : (uint)value.Length + 1);
        value?.CopyTo(span[at..]);
        at += value?.Length ?? 0;
        _buffer.Advance(at);
        Count++;
        Timestamp = Math.Max(Timestamp, timestamp);
    }

    public void Clear()
    {
        _buffer.Clear();
        _buffer.GetSpan(1)[0] = Format;
        _buffer.Advance(1);
        Count = 0;
        Timestamp = long.MinValue;
    }

    /// <summary>The entries of a batch record's value, in the order they were written.</summary>
    public static IEnumerable<KeyValuePair<byte[], byte[]?>> Read(byte[] value)
    {
        if (value.Length == 0 || value[0] != Format)
        {
            throw new InvalidDataException($"a changelog batch of format {(value.Length == 0 ? "none" : value[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}; this version reads format {Format}");
        }

        var at = 1;
        while (at < value.Length)
        {
            var keyLength = (int)ReadVarint(value, ref at);
            var key = Slice(value, ref at, keyLength);
            var valueLength = ReadVarint(value, ref at);
            var entryValue = valueLength == 0 ? null : Slice(value, ref at, (int)(valueLength - 1));
            yield return new(key, entryValue);
        }
    }

    private static byte[] Slice(byte[] value, ref int at, int length)
    {
        if (length < 0 || at + length > value.Length)
        {
            throw new InvalidDataException("a changelog batch ends inside an entry");
        }

        var bytes = value.AsSpan(at, length).ToArray();
        at += length;
        return bytes;
    }

    private static int WriteVarint(Span<byte> span, int at, uint value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }

    private static uint ReadVarint(byte[] value, ref int at)
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (at >= value.Length)
            {
                throw new InvalidDataException("a changelog batch ends inside a length");
            }

            var b = value[at++];
            result |= (uint)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("a changelog batch has a length longer than five bytes");
    }
}
