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

    public SensitiveNames(IEnumerable<string> names)
    {
        var list = names.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        _normalised = list.Select(n => Normalise(n)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _normalisedSearch = _normalised.Length > 0 ? SearchValues.Create(_normalised, StringComparison.Ordinal) : null;
        _lowered = list.Select(n => n.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The names as given, trimmed and lower-cased. Text that holds none of them case-insensitively, nor any of them
    /// normalised (<see cref="MayOccurIn"/>), holds no name <see cref="IsSensitive"/> accepts, by either of its rules (a
    /// sensitive ending, or a sensitive term followed by a qualifier), if it is ASCII: there lower-casing one character
    /// never gives another's lower case.
    /// </summary>
    public IReadOnlyList<string> LoweredNames => _lowered;

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

        // One vectorised pass for all terms over the normalised text, instead of a pass per term. Most texts fit a
        // stack buffer; renting one from the shared pool cost more than the search.
        if (text.Length <= 512)
        {
            Span<char> buffer = stackalloc char[text.Length];
            return buffer[..Normalise(text, buffer)].ContainsAny(_normalisedSearch);
        }

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
        // ASCII (nearly every log line): lower-cased in one vectorised pass, then the separators are squeezed out in
        // place, a run at a time.
        if (Ascii.IsValid(name))
        {
            Ascii.ToLower(name, buffer, out var written);
            return RemoveSeparators(buffer[..written]);
        }

        // Otherwise char by char, as before: a surrogate pair is lower-cased as its two halves, which leaves it as it is.
        var length = 0;
        foreach (var c in name)
        {
            if (!Separators.Contains(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return length;
    }

    /// <summary>Moves the runs between separators to the front of <paramref name="text"/>; returns their length.</summary>
    private static int RemoveSeparators(Span<char> text)
    {
        var length = text.IndexOfAny(Separators);
        if (length < 0)
        {
            return text.Length;
        }

        var next = length + 1;
        while (next < text.Length)
        {
            var end = text[next..].IndexOfAny(Separators);
            var run = end < 0 ? text.Length - next : end;
            text.Slice(next, run).CopyTo(text[length..]);
            length += run;
            next += run + 1;
        }

        return length;
    }
}
