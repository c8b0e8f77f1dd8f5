using System.Text;

namespace Streams.Topology.Mysql;

/// <summary>
/// Cuts a MySQL or MariaDB log file (general or slow) into entries. The two files share the server banner,
/// entries that run over several lines, and times printed only when they change; they differ only in what
/// starts an entry and where the time is, which the caller says.
/// </summary>
public static class MysqlLogSplitter
{
    /// <summary>Whether <paramref name="line"/> starts a new entry, given the previous line of the current entry.</summary>
    public delegate bool StartsEntry(string line, string previousLine);

    /// <summary>The time text carried by a line that starts an entry, or null.</summary>
    public delegate string? TimeOfLine(string line);

    public static IEnumerable<string> Lines(string text)
    {
        var lines = (text ?? string.Empty).Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        return lines.Take(count);
    }

    public static IEnumerable<MysqlLogEntryText> Split(IEnumerable<string> lines, StartsEntry startsEntry, TimeOfLine timeOf)
    {
        var current = new List<string>();
        string? lastTime = null;
        string? inherited = null;
        var start = 0;
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = (raw ?? string.Empty).TrimEnd('\r');
            if (IsServerBanner(line))
            {
                // A banner is printed on every (re)open of the file and ends whatever came before it.
                if (Flush(current, inherited, start) is { } bannerCut)
                {
                    yield return bannerCut;
                }

                continue;
            }

            var opens = current.Count == 0 ? !string.IsNullOrWhiteSpace(line) : startsEntry(line, current[^1]);
            if (opens)
            {
                if (Flush(current, inherited, start) is { } entry)
                {
                    yield return entry;
                }

                inherited = lastTime;
                start = number;
                lastTime = timeOf(line) ?? lastTime;
            }

            if (opens || current.Count > 0)
            {
                current.Add(line);
            }
        }

        if (Flush(current, inherited, start) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>
    /// The three lines a server writes when it opens a log file, e.g.
    /// "/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-log (Debian 12). started with:",
    /// "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock" and "Time  Id Command  Argument".
    /// </summary>
    public static bool IsServerBanner(string line) =>
        (line.Contains(", Version: ", StringComparison.Ordinal) && line.EndsWith("started with:", StringComparison.Ordinal))
        || line.StartsWith("Tcp port: ", StringComparison.Ordinal)
        || IsColumnHeader(line);

    private static bool IsColumnHeader(string line)
    {
        if (!line.StartsWith("Time", StringComparison.Ordinal) || line.Length > 80)
        {
            return false;
        }

        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words is ["Time", "Id", "Command", "Argument"];
    }

    private static MysqlLogEntryText? Flush(List<string> lines, string? inherited, int start)
    {
        // Blank lines after an entry are the file's padding, not part of the statement.
        var count = lines.Count;
        while (count > 0 && string.IsNullOrWhiteSpace(lines[count - 1]))
        {
            count--;
        }

        if (count == 0)
        {
            lines.Clear();
            return null;
        }

        var text = new StringBuilder(lines[0]);
        for (var i = 1; i < count; i++)
        {
            text.Append('\n').Append(lines[i]);
        }

        lines.Clear();
        return new MysqlLogEntryText(text.ToString(), inherited, start);
    }
}
