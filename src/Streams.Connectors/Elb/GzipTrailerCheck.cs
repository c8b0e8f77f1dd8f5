using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Streams.Connectors.Elb;

/// <summary>
/// Decompresses a gzip object and checks its trailer: <see cref="GZipStream"/> rejects a bad header or bad deflate
/// data, but ends quietly where a truncated object ends. At the end of the data this stream compares the CRC-32 and
/// length of what came out with the last 8 bytes of the object (RFC 1952) and throws <see cref="InvalidDataException"/>
/// when they differ. AWS writes each log object as one gzip member; an object of several members fails this check too.
/// </summary>
internal sealed class GzipTrailerCheck : Stream
{
    private const int MinimumGzipLength = 18;

    private readonly TailKeepingStream _compressed;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public GzipTrailerCheck(Stream compressed)
    {
        _compressed = new TailKeepingStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _gzip.Read(buffer);
        return Account(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _gzip.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            // Anything after the member is part of the object too: the trailer check looks at its very end.
            await _compressed.DrainAsync(cancellationToken);
        }

        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _crc.Append(data);
            _length += data.Length;
            return data.Length;
        }

        if (!_checked)
        {
            _checked = true;
            Check();
        }

        return 0;
    }

    private void Check()
    {
        _compressed.Drain();
        if (_compressed.Total < MinimumGzipLength)
        {
            throw new InvalidDataException($"not a gzip stream: {_compressed.Total} bytes, a gzip member has at least {MinimumGzipLength}");
        }

        var tail = _compressed.Tail;
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        var expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        if (expectedCrc != _crc.GetCurrentHashAsUInt32() || expectedLength != (uint)_length)
        {
            throw new InvalidDataException(
                $"gzip trailer does not match the data: truncated or damaged ({_length} bytes decompressed from {_compressed.Total})");
        }
    }

    /// <summary>Passes reads through and keeps the last 8 bytes read and how many there were.</summary>
    private sealed class TailKeepingStream(Stream inner) : Stream
    {
        private readonly byte[] _tail = new byte[8];
        private int _tailLength;

        public long Total { get; private set; }

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Total; set => throw new NotSupportedException(); }

        public void Drain()
        {
            var buffer = new byte[4096];
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            while (await ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Keep(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Keep(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Keep(ReadOnlySpan<byte> data)
        {
            Total += data.Length;
            if (data.Length >= 8)
            {
                data[^8..].CopyTo(_tail);
                _tailLength = 8;
                return;
            }

            var keep = Math.Min(_tailLength, 8 - data.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + data.Length;
        }
    }
}
