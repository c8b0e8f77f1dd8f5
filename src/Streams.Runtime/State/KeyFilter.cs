using System.Buffers.Binary;
using System.Numerics;

namespace Streams.Runtime.State;

/// <summary>
/// A growing Bloom filter over the keys a store holds, kept in memory in front of the bytes store: when it says a
/// key was never written, a lookup needs no read of the store (for RocksDB, no native iterator). It never forgets a
/// key, so a deleted or expired key only costs a real read. When the keys written pass a filter's capacity, a filter
/// twice as large and with 2 more bits per key is added (a scalable Bloom filter: the layers' false-positive rates,
/// about 0.8%, 0.3%, 0.1%, ..., add up to under 1.5% at any size); under 2 bytes per key.
/// </summary>
internal sealed class KeyFilter
{
    private const int FirstBitsPerKey = 10;

    // Probes are 32-bit, so a layer holds at most 2^32 bits.
    private const int MaxLayerCapacity = 1 << 26;
    private readonly List<Layer> _layers = [];

    public KeyFilter(int initialCapacity = 1 << 16)
    {
        _layers.Add(new Layer(Math.Clamp(initialCapacity, 1024, MaxLayerCapacity), FirstBitsPerKey));
    }

    /// <summary>Keys added since the filter was created; a key it already held (or seemed to) is not counted again.</summary>
    public long Count { get; private set; }

    public void Add(ReadOnlySpan<byte> key) => Add(Hash(key));

    /// <summary>Adds a key by its <see cref="Hash"/>, for a caller that needs the hash itself as well.</summary>
    public void Add(ulong hash)
    {
        var layers = _layers;
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Contains(hash))
            {
                return;
            }
        }

        AddAbsent(hash);
    }

    /// <summary>
    /// <see cref="Add(ulong)"/> for a hash that <see cref="MayContain(ulong)"/> has just answered false for, with no
    /// add since: the layers need not be asked again.
    /// </summary>
    public void AddAbsent(ulong hash)
    {
        var layers = _layers;
        var last = layers[^1];
        if (last.Count >= last.Capacity)
        {
            last = new Layer(Math.Min(last.Capacity * 2, MaxLayerCapacity), Math.Min(last.BitsPerKey + 2, 40));
            layers.Add(last);
        }

        last.Add(hash);
        Count++;
    }

    /// <summary>False only if <paramref name="key"/> was never added.</summary>
    public bool MayContain(ReadOnlySpan<byte> key) => MayContain(Hash(key));

    /// <summary>False only if no key with this <see cref="Hash"/> was added.</summary>
    public bool MayContain(ulong hash)
    {
        var layers = _layers;
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Contains(hash))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A 64-bit hash of the bytes (multiply-rotate over 8-byte words, murmur3's finaliser).</summary>
    internal static ulong Hash(ReadOnlySpan<byte> key)
    {
        const ulong Prime1 = 0x9E3779B185EBCA87UL;
        const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
        var h = Prime2 ^ ((ulong)key.Length * Prime1);
        while (key.Length >= 8)
        {
            var k = BinaryPrimitives.ReadUInt64LittleEndian(key);
            h ^= BitOperations.RotateLeft(k * Prime2, 31) * Prime1;
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + Prime2;
            key = key[8..];
        }

        if (key.Length > 0)
        {
            ulong tail = 0;
            for (var i = 0; i < key.Length; i++)
            {
                tail |= (ulong)key[i] << (8 * i);
            }

            h ^= BitOperations.RotateLeft(tail * Prime2, 31) * Prime1;
            h = BitOperations.RotateLeft(h, 27) * Prime1;
        }

        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

    private sealed class Layer
    {
        private readonly ulong[] _bits;
        private readonly ulong _bitCount;
        private readonly uint _probes;

        public Layer(int capacity, int bitsPerKey)
        {
            Capacity = capacity;
            BitsPerKey = bitsPerKey;
            _bitCount = Math.Min((ulong)capacity * (ulong)bitsPerKey, uint.MaxValue);
            _bits = new ulong[(_bitCount + 63) / 64];
            // ln 2 probes per bit of a key minimise the false positives.
            _probes = (uint)Math.Max(1, Math.Round(bitsPerKey * 0.693));
        }

        public int Capacity { get; }

        public int BitsPerKey { get; }

        public int Count { get; private set; }

        public void Add(ulong hash)
        {
            var h1 = (uint)hash;
            var h2 = (uint)(hash >> 32) | 1;
            for (uint i = 0; i < _probes; i++)
            {
                var bit = Bit(h1, h2, i);
                _bits[bit >> 6] |= 1UL << (int)(bit & 63);
            }

            Count++;
        }

        public bool Contains(ulong hash)
        {
            var h1 = (uint)hash;
            var h2 = (uint)(hash >> 32) | 1;
            for (uint i = 0; i < _probes; i++)
            {
                var bit = Bit(h1, h2, i);
                if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
                {
                    return false;
                }
            }

            return true;
        }

        // Double hashing: probe i is h1 + i * h2 (Kirsch and Mitzenmacher), mapped onto [0, bit count) by a multiply
        // and a shift (Lemire's fast range) instead of a 64-bit division for every probe.
        private ulong Bit(uint h1, uint h2, uint i) => ((ulong)(h1 + (i * h2)) * _bitCount) >> 32;
    }
}
