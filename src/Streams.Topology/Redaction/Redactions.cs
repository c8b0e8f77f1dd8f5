using System.Text;

namespace Streams.Topology.Redaction;

/// <summary>Ranges of one text to replace, collected left to right and applied in one copy.</summary>
internal sealed class Redactions
{
    public const string Mask = "REDACTED";

    private List<(int Start, int End, string Replacement)>? _ranges;

    public bool IsEmpty => _ranges is null;

    /// <summary>Replaces [start, end) with the mask; empty or overlapping ranges are ignored.</summary>
    public void Add(int start, int end, string replacement = Mask)
    {
        if (end <= start || (_ranges is { Count: > 0 } && _ranges[^1].End > start))
        {
            return;
        }

        (_ranges ??= []).Add((start, end, replacement));
    }

    public string ApplyTo(string text)
    {
        if (_ranges is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var (start, end, replacement) in _ranges)
        {
            builder.Append(text, copied, start - copied).Append(replacement);
            copied = end;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }
}
