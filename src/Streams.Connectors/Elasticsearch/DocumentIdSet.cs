using System.Runtime.CompilerServices;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// A set of document ids kept as characters in 64 KB chunks with an open-addressing index, not as one string per id:
/// a file's ids live as long as the target, and hundreds of thousands of strings promoted through every GC generation
/// cost the collector far more than their bytes. Not thread-safe.
/// </summary>
internal sealed class DocumentIdSet
{
    private const int ChunkChars = 32 * 1024;

    private readonly List<char[]> _chunks = [];
    private int _chunkUsed = ChunkChars;

    // Per entry: its hash, and where its characters are (chunk << 16 | offset in the chunk, then the length).
    private int[] _hashes = new int[64];
    private int[] _places = new int[64];
    private int[] _lengths = new int[64];

    // Entry number + 1 per slot, 0 when empty; a power of two, kept at most half full.
    private int[] _slots = new int[128];

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="id"/>; false when it is already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(string id)
    {
        var hash = string.GetHashCode(id, StringComparison.Ordinal);
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (_slots[slot] != 0)
        {
            var entry = _slots[slot] - 1;
            if (_hashes[entry] == hash && Characters(entry).SequenceEqual(id))
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }

        var index = Count;
        if (index == _hashes.Length)
        {
            Array.Resize(ref _hashes, index * 2);
            Array.Resize(ref _places, index * 2);
            Array.Resize(ref _lengths, index * 2);
        }

        _hashes[index] = hash;
        _lengths[index] = id.Length;
        _places[index] = Store(id);
        _slots[slot] = index + 1;
        Count = index + 1;
        if (Count * 2 > _slots.Length)
        {
            Rehash(_slots.Length * 2);
        }

        return true;
    }

    private ReadOnlySpan<char> Characters(int entry)
    {
        var place = _places[entry];
        return _chunks[place >>> 16].AsSpan(place & 0xFFFF, _lengths[entry]);
    }

    // Where the id's characters now are: a chunk of their own when longer than a chunk.
    private int Store(string id)
    {
        if (id.Length > ChunkChars / 2)
        {
            _chunks.Add(id.ToCharArray());
            _chunkUsed = ChunkChars;
            return (_chunks.Count - 1) << 16;
        }

        if (ChunkChars - _chunkUsed < id.Length)
        {
            _chunks.Add(new char[ChunkChars]);
            _chunkUsed = 0;
        }

        var place = ((_chunks.Count - 1) << 16) | _chunkUsed;
        id.CopyTo(_chunks[^1].AsSpan(_chunkUsed));
        _chunkUsed += id.Length;
        return place;
    }

    private void Rehash(int size)
    {
        var slots = new int[size];
        var mask = size - 1;
        for (var entry = 0; entry < Count; entry++)
        {
            var slot = _hashes[entry] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry + 1;
        }

        _slots = slots;
    }
}
