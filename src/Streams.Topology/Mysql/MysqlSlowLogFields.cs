using System.Globalization;

namespace Streams.Topology.Mysql;

/// <summary>
/// The "Name: value  Name: value" pairs of slow log "#" header lines, e.g.
/// "# Query_time: 2.461578  Lock_time: 0.000196  Rows_sent: 10  Rows_examined: 3145718".
/// A value is every word up to the next "Name:", joined by single spaces; it may be empty (MariaDB's "Schema:   QC_hit: No").
/// </summary>
internal sealed class MysqlSlowLogFields
{
    /// <summary>The names MySQL 8 (with log_slow_extra) and MariaDB print, so that reading them allocates no name.</summary>
    private static readonly HashSet<string> KnownNames = new(StringComparer.Ordinal)
    {
        "Query_time", "Lock_time", "Rows_sent", "Rows_examined", "Rows_affected", "Bytes_sent", "Bytes_received", "Thread_id",
        "Schema", "QC_hit", "Errno", "Killed", "Start", "End", "explain", "Full_scan", "Full_join", "Tmp_table", "Tmp_table_on_disk",
        "Filesort", "Filesort_on_disk", "Merge_passes", "Priority_queue", "Tmp_tables", "Tmp_disk_tables", "Tmp_table_sizes",
        "Read_first", "Read_last", "Read_key", "Read_next", "Read_prev", "Read_rnd", "Read_rnd_next", "Sort_merge_passes",
        "Sort_range_count", "Sort_rows", "Sort_scan_count", "Created_tmp_disk_tables", "Created_tmp_tables",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNameLookup = KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly Dictionary<string, string> _values = new(16, StringComparer.Ordinal);

    /// <summary>Reads one header line: its words are the runs between spaces and tabs, after the leading '#'s.</summary>
    public void Read(ReadOnlySpan<char> line)
    {
        line = line.TrimStart('#');
        ReadOnlySpan<char> key = default;
        var hasKey = false;
        int valueStart = -1, valueEnd = -1;
        var position = 0;
        while (true)
        {
            var skipped = line[position..].IndexOfAnyExcept(' ', '\t');
            if (skipped < 0)
            {
                break;
            }

            var start = position + skipped;
            var length = line[start..].IndexOfAny(' ', '\t');
            var end = length < 0 ? line.Length : start + length;
            var word = line[start..end];
            if (IsName(word))
            {
                if (hasKey)
                {
                    Add(key, valueStart < 0 ? [] : line[valueStart..valueEnd]);
                }

                key = word[..^1];
                hasKey = true;
                valueStart = -1;
            }
            else if (hasKey)
            {
                valueStart = valueStart < 0 ? start : valueStart;
                valueEnd = end;
            }

            position = end;
        }

        if (hasKey)
        {
            Add(key, valueStart < 0 ? [] : line[valueStart..valueEnd]);
        }
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

    private static bool IsName(ReadOnlySpan<char> word)
    {
        if (word.Length < 2 || word[^1] != ':' || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        foreach (var c in word[..^1])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="words">From the first word of the value to the end of its last one, separators as printed.</param>
    private void Add(ReadOnlySpan<char> key, ReadOnlySpan<char> words)
    {
        var text = SingleSpaced(words);
        var values = _values.GetAlternateLookup<ReadOnlySpan<char>>();

        // A repeated name (MariaDB prints one "# explain:" line per plan row) keeps every value.
        if (values.TryGetValue(key, out var earlier))
        {
            values[key] = earlier + "\n" + text;
        }
        else if (KnownNameLookup.TryGetValue(key, out var name))
        {
            _values.Add(name, text);
        }
        else
        {
            values[key] = text;
        }
    }

    /// <summary>The words with each run of spaces and tabs between them made one space.</summary>
    private static string SingleSpaced(ReadOnlySpan<char> words)
    {
        if (words.IndexOf('\t') < 0 && words.IndexOf("  ", StringComparison.Ordinal) < 0)
        {
            return words.ToString();
        }

        var buffer = words.Length <= 256 ? stackalloc char[words.Length] : new char[words.Length];
        var length = 0;
        var inSeparator = false;
        foreach (var c in words)
        {
            if (c is ' ' or '\t')
            {
                inSeparator = true;
                continue;
            }

            if (inSeparator)
            {
                buffer[length++] = ' ';
                inSeparator = false;
            }

            buffer[length++] = c;
        }

        return buffer[..length].ToString();
    }
}
