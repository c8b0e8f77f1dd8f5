using System.Buffers.Binary;
using System.Text;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// A growable byte buffer with Avro's binary primitives (zig-zag varints, little-endian IEEE floats, length-prefixed
/// UTF-8), written exactly as Apache.Avro's BinaryEncoder writes them. One per thread, reused from record to record.
/// </summary>
internal sealed class AvroBinaryWriter
{
    // A buffer grown past this by one huge record is dropped after that record instead of being kept for the thread.
    private const int RetainedCapacity = 1024 * 1024;

    // UTF-8 takes at most 3 bytes per UTF-16 char; 3 * 2730 = 8190 bytes, whose length (zig-zag 16380) fits two varint bytes.
    private const int TwoByteLengthChars = 2730;

    private static readonly UTF8Encoding Utf8 = (UTF8Encoding)Encoding.UTF8;

    private byte[] _buffer = new byte[1024];
    private int _length;

    public int Length => _length;

    public void Reset()
    {
        if (_buffer.Length > RetainedCapacity)
        {
            _buffer = new byte[1024];
        }

        _length = 0;
    }

    /// <summary>The bytes written since the last <see cref="Reset"/>, in the buffer itself.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => Written.ToArray();

    public void WriteByte(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    public void WriteInt32BigEndian(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Avro int and long: zig-zag, then 7 bits a byte, least significant first.</summary>
    public void WriteLong(long value)
    {
        Ensure(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var buffer = _buffer;
        var position = _length;
        while (n >= 0x80)
        {
            buffer[position++] = (byte)(n | 0x80);
            n >>= 7;
        }

        buffer[position++] = (byte)n;
        _length = position;
    }

    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), BitConverter.DoubleToInt64Bits(value));
        _length += 8;
    }

    /// <summary>Avro bytes: the length, then the bytes.</summary>
    public void WriteBytes(byte[] value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    /// <summary>The bytes alone (Avro fixed).</summary>
    public void WriteFixed(byte[] value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer, _length);
        _length += value.Length;
    }

    /// <summary>
    /// Avro string: the UTF-8 length, then the UTF-8 (Encoding.UTF8, so an unpaired surrogate becomes U+FFFD as in
    /// Avro's own encoder). A string of up to 2730 chars is encoded once, after room for a two-byte length, and moved
    /// back a byte when its length takes one; a longer one is counted first.
    /// </summary>
    public void WriteString(string value)
    {
        if (value.Length <= TwoByteLengthChars)
        {
            Ensure(2 + (value.Length * 3));
            var buffer = _buffer;
            var start = _length;
            var written = Utf8.GetBytes(value, buffer.AsSpan(start + 2));
            var zigzag = written << 1;
            if (written < 64)
            {
                buffer.AsSpan(start + 2, written).CopyTo(buffer.AsSpan(start + 1));
                buffer[start] = (byte)zigzag;
                _length = start + 1 + written;
            }
            else
            {
                buffer[start] = (byte)(zigzag | 0x80);
                buffer[start + 1] = (byte)(zigzag >> 7);
                _length = start + 2 + written;
            }

            return;
        }

        var count = Utf8.GetByteCount(value);
        WriteLong(count);
        Ensure(count);
        _length += Utf8.GetBytes(value, _buffer.AsSpan(_length, count));
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var needed = (long)_length + count;
        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"an Avro record of more than {Array.MaxLength} bytes cannot be written into one array");
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
