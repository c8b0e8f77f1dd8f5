using System.Globalization;

namespace Streams.Topology.Mysql;

/// <summary>
/// The "Name: value  Name: value" pairs of slow log "#" header lines, e.g.
/// "# Query_time: 2.461578  Lock_time: 0.000196  Rows_sent: 10  Rows_examined: 3145718".
/// A value is every word up to the next "Name:"; it may be empty (MariaDB's "Schema:   QC_hit: No").
/// </summary>
internal sealed class MysqlSlowLogFields
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public void Read(string line)
    {
        string? key = null;
        var value = new List<string>();
        foreach (var word in line.TrimStart('#').Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsName(word))
            {
                Add(key, value);
                key = word[..^1];
                value.Clear();
            }
            else if (key is not null)
            {
                value.Add(word);
            }
        }

        Add(key, value);
    }

    /// <summary>Removes and returns a field, so that what remains is the entry's other attributes.</summary>
    public string? Take(string name) => _values.Remove(name, out var value) ? value : null;

    /// <summary>Removes a field and reads it as a count; a present but malformed value is an error.</summary>
    public bool TryTakeCount(string name, out long? count)
    {
        count = null;
        if (Take(name) is not { } text)
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        count = parsed;
        return true;
    }

    public IReadOnlyDictionary<string, string> Remaining() => _values.AsReadOnly();

    private static bool IsName(string word)
    {
        if (word.Length < 2 || word[^1] != ':' || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        foreach (var c in word.AsSpan(0, word.Length - 1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private void Add(string? key, List<string> value)
    {
        if (key is null)
        {
            return;
        }

        // A repeated name (MariaDB prints one "# explain:" line per plan row) keeps every value.
        var text = string.Join(' ', value);
        _values[key] = _values.TryGetValue(key, out var earlier) ? earlier + "\n" + text : text;
    }
}
