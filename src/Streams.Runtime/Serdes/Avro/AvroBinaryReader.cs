using System.Buffers.Binary;
using System.Text;
using Avro;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// Avro's binary primitives read from a span, as Apache.Avro's BinaryDecoder reads them (zig-zag varints, little-endian
/// IEEE floats, length-prefixed UTF-8 decoded by Encoding.UTF8), but strict where the bytes are malformed: a varint of
/// more than 10 bytes, an int out of range, a boolean other than 0 or 1, a length or a count beyond the bytes left all
/// throw an <see cref="AvroException"/> before anything is allocated for them.
/// </summary>
internal ref struct AvroBinaryReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public AvroBinaryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public bool ReadBoolean()
    {
        var b = ReadByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new AvroException("Not a boolean value in the stream: " + b),
        };
    }

    /// <summary>Avro long: 7 bits a byte, least significant first, then zig-zag; at most 10 bytes.</summary>
    public long ReadLong()
    {
        var data = _data;
        var position = _position;
        ulong n = 0;
        var shift = 0;
        while (true)
        {
            if ((uint)position >= (uint)data.Length)
            {
                throw EndOfData();
            }

            var b = data[position++];
            if (shift == 63 && b > 1)
            {
                throw new AvroException("Invalid Avro long: more than 64 bits");
            }

            n |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new AvroException("Invalid Avro long: more than 10 bytes");
            }
        }

        _position = position;
        return (long)(n >> 1) ^ -(long)(n & 1);
    }

    public int ReadInt()
    {
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new AvroException("Invalid Avro int: " + value + " is out of range");
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Avro string: a length, then that many UTF-8 bytes (invalid sequences become U+FFFD, as in the Avro decoder).</summary>
    public string ReadString()
    {
        var length = ReadLength();
        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    public byte[] ReadBytes()
    {
        var length = ReadLength();
        return length == 0 ? [] : Take(length).ToArray();
    }

    /// <summary>Avro fixed: exactly <paramref name="destination"/>'s length of bytes.</summary>
    public void ReadFixed(Span<byte> destination) => Take(destination.Length).CopyTo(destination);

    /// <summary>
    /// The item count of the next array or map block (0 ends the collection); a negative count is followed by the
    /// block's byte size, which is read and ignored. Every item takes at least <paramref name="minItemBytes"/> (1 or more)
    /// bytes, so a count the bytes left cannot hold is malformed.
    /// </summary>
    public int ReadBlockCount(int minItemBytes)
    {
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroException("Invalid Avro block count: " + count);
            }

            count = -count;
            if (ReadLong() < 0)
            {
                throw new AvroException("Invalid Avro block size: negative");
            }
        }

        if (count > Remaining / minItemBytes)
        {
            throw new AvroException($"Invalid Avro block count: {count} items of at least {minItemBytes} bytes, only {Remaining} bytes remaining");
        }

        return (int)count;
    }

    /// <summary>A union branch or an enum ordinal, checked against the count of branches or symbols.</summary>
    public int ReadIndex(int count, string what)
    {
        var index = ReadLong();
        return index >= 0 && index < count ? (int)index : throw new AvroException($"Invalid Avro {what} index {index}: there are {count}");
    }

    private byte ReadByte()
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            throw EndOfData();
        }

        return _data[_position++];
    }

    private int ReadLength()
    {
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroException("Can not read a negative length: " + length);
        }

        if (length > Remaining)
        {
            throw new AvroException($"Cannot read {length} bytes, only {Remaining} bytes remaining");
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw EndOfData();
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private static AvroException EndOfData() => new("End of data reached");
}
