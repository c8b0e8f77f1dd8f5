using System.Buffers;
using System.Text;

namespace Streams.Topology.Redaction;

/// <summary>Decides whether a name (query parameter, JSON key, SQL column, log field) holds a secret.</summary>
internal sealed class SensitiveNames
{
    // Words that, after a sensitive term, still name the secret itself (not its metadata such as "password_expired").
    private static readonly string[] Qualifiers = ["confirmation", "confirm", "repeat", "again", "new", "old", "plain", "plaintext", "value"];

    // What Normalise leaves out of a name.
    private static readonly SearchValues<char> Separators = SearchValues.Create("-_. []");

    private readonly string[] _normalised;
    private readonly SearchValues<string>? _normalisedSearch;
    private readonly string[] _lowered;
    private readonly SearchValues<string>? _loweredSearch;

    public SensitiveNames(IEnumerable<string> names)
    {
        var list = names.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        _normalised = list.Select(n => Normalise(n)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _normalisedSearch = _normalised.Length > 0 ? SearchValues.Create(_normalised, StringComparison.Ordinal) : null;
        _lowered = list.Select(n => n.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        _loweredSearch = _lowered.Length > 0 ? SearchValues.Create(_lowered, StringComparison.OrdinalIgnoreCase) : null;
    }

    public bool IsSensitive(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var normalised = buffer[..Normalise(name, buffer)];
        foreach (var term in _normalised)
        {
            if (normalised.EndsWith(term, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // "password_confirmation": a sensitive term, a separator, then a word that still names the secret.
        foreach (var term in _lowered)
        {
            if (name.Length > term.Length + 1
                && name.StartsWith(term, StringComparison.OrdinalIgnoreCase)
                && name[term.Length] is '_' or '-' or '.'
                && IsQualifier(name[(term.Length + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// False when no sensitive name can occur anywhere in <paramref name="text"/>: a cheap test that lets the
    /// pattern scan be skipped for the many messages that hold no secret at all.
    /// </summary>
    public bool MayOccurIn(string text)
    {
        if (_normalisedSearch is null)
        {
            return false;
        }

        // One vectorised pass for all terms over the normalised text, instead of a pass per term.
        var rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            return rented.AsSpan(0, Normalise(text, rented)).ContainsAny(_normalisedSearch);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// False when no name <see cref="IsSensitive"/> accepts can be a part of <paramref name="text"/>, by either of its
    /// rules (a sensitive ending, or a sensitive term followed by a qualifier). Meant for ASCII text, where lower-casing
    /// one character never gives another's lower case.
    /// </summary>
    public bool MayNameOccurIn(string text)
    {
        return MayOccurIn(text) || (_loweredSearch is not null && text.AsSpan().ContainsAny(_loweredSearch));
    }

    private static bool IsQualifier(ReadOnlySpan<char> rest)
    {
        foreach (var qualifier in Qualifiers)
        {
            if (rest.Equals(qualifier, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalise(string name)
    {
        var buffer = new char[name.Length];
        return new string(buffer, 0, Normalise(name, buffer));
    }

    /// <summary>Lower-cases <paramref name="name"/> into <paramref name="buffer"/> without separators; returns the length.</summary>
    private static int Normalise(ReadOnlySpan<char> name, Span<char> buffer)
    {
        // Runs between separators are lower-cased a run at a time (vectorised for ASCII), char by char as before:
        // a surrogate pair is lower-cased as its two halves, which leaves it as it is.
        var length = 0;
        while (!name.IsEmpty)
        {
            var end = name.IndexOfAny(Separators);
            var run = end < 0 ? name : name[..end];
            if (Ascii.IsValid(run))
            {
                Ascii.ToLower(run, buffer[length..], out var written);
                length += written;
            }
            else
            {
                foreach (var c in run)
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }
            }

            if (end < 0)
            {
                break;
            }

            name = name[(end + 1)..];
        }

        return length;
    }
}
