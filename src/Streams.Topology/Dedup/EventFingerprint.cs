using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Streams.Topology.Dedup;

/// <summary>
/// A deterministic event id: SHA-256 over length-prefixed UTF-8 fields, the first 128 bits as 32 lowercase hex chars.
/// The same log line shipped twice gets the same id, so Elasticsearch and the dedup step can recognise it.
/// </summary>
public static class EventFingerprint
{
    // Bumped if the encoding ever changes, so old and new ids can never collide by accident.
    private const byte EncodingVersion = 1;
    private const int StackLimit = 1024;

    /// <summary>The id of one event.</summary>
    /// <param name="source">The log kind, e.g. "mysql.general".</param>
    /// <param name="origin">Where the line came from (host, file or table), so identical lines from two hosts differ.</param>
    /// <param name="eventTimeMicros">The event time in UTC microseconds since the Unix epoch.</param>
    /// <param name="content">The text that makes the event (the raw line or entry).</param>
    public static string Compute(string source, string origin, long eventTimeMicros, string content)
    {
        var length = 1 + FieldLength(source) + FieldLength(origin) + sizeof(long) + FieldLength(content);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encode(buffer, source, origin, eventTimeMicros, content);
            Span<byte> hash = stackalloc byte[Sha256Digest.HashSize];
            Sha256Digest.Hash(buffer[..written], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The id of one event whose time is a <see cref="DateTimeOffset"/> (sub-microsecond ticks are dropped).</summary>
    public static string Compute(string source, string origin, DateTimeOffset eventTime, string content) =>
        Compute(source, origin, ToUnixMicroseconds(eventTime), content);

    public static long ToUnixMicroseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static int FieldLength(string value) => sizeof(int) + Encoding.UTF8.GetByteCount(value);

    private static int Encode(Span<byte> buffer, string source, string origin, long eventTimeMicros, string content)
    {
        buffer[0] = EncodingVersion;
        var position = 1;
        position += WriteField(buffer[position..], source);
        position += WriteField(buffer[position..], origin);
        BinaryPrimitives.WriteInt64BigEndian(buffer[position..], eventTimeMicros);
        position += sizeof(long);
        position += WriteField(buffer[position..], content);
        return position;
    }

    private static int WriteField(Span<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value, buffer[sizeof(int)..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer, bytes);
        return sizeof(int) + bytes;
    }
}
