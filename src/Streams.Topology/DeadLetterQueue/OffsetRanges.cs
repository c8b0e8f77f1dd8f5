using System.Globalization;
using System.Text;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// A set of offsets of one partition kept as sorted, merged inclusive ranges, written as text ("0-3,7-7") so the
/// ledger stays readable with kcat. Replays select by reason and time, so what was replayed is a set, not a prefix.
/// </summary>
public sealed class OffsetRanges
{
    private readonly List<(long First, long Last)> _ranges = [];

    public long Count => _ranges.Sum(r => r.Last - r.First + 1);

    public static OffsetRanges Parse(string text)
    {
        var result = new OffsetRanges();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', 1);
            if (dash < 0
                || !long.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !long.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first)
            {
                throw new FormatException($"'{part}' is not an offset range FIRST-LAST");
            }

            result._ranges.Add((first, last));
        }

        result._ranges.Sort();
        for (var i = result._ranges.Count - 1; i > 0; i--)
        {
            if (result._ranges[i].First <= result._ranges[i - 1].Last + 1)
            {
                result._ranges[i - 1] = (result._ranges[i - 1].First, Math.Max(result._ranges[i - 1].Last, result._ranges[i].Last));
                result._ranges.RemoveAt(i);
            }
        }

        return result;
    }

    public bool Contains(long offset)
    {
        var i = IndexAtOrBefore(offset);
        return i >= 0 && _ranges[i].Last >= offset;
    }

    public void Add(long offset)
    {
        if (Contains(offset))
        {
            return;
        }

        var i = IndexAtOrBefore(offset);
        var joinsPrevious = i >= 0 && _ranges[i].Last == offset - 1;
        var joinsNext = i + 1 < _ranges.Count && _ranges[i + 1].First == offset + 1;
        if (joinsPrevious && joinsNext)
        {
            _ranges[i] = (_ranges[i].First, _ranges[i + 1].Last);
            _ranges.RemoveAt(i + 1);
        }
        else if (joinsPrevious)
        {
            _ranges[i] = (_ranges[i].First, offset);
        }
        else if (joinsNext)
        {
            _ranges[i + 1] = (offset, _ranges[i + 1].Last);
        }
        else
        {
            _ranges.Insert(i + 1, (offset, offset));
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (first, last) in _ranges)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{first}-{last}");
        }

        return text.ToString();
    }

    // The index of the last range starting at or before offset, or -1.
    private int IndexAtOrBefore(long offset)
    {
        int lo = 0, hi = _ranges.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_ranges[mid].First <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
