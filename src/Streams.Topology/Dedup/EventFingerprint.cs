using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
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

    // One SHA-256 state per thread, reset by each hash. SHA256.HashData sets up and frees an OpenSSL digest context
    // per call, which costs several times the hashing of a log line.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

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
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            Hash(buffer[..written], hash);
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

    private static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            sha256.AppendData(data);
            sha256.GetHashAndReset(hash);
        }
        catch
        {
            // A state left half-fed must not start the next hash.
            t_sha256 = null;
            sha256.Dispose();
            throw;
        }
    }

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
