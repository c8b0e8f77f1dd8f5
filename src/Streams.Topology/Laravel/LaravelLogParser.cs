using System.Text;
using Streams.Topology.Parsing;

namespace Streams.Topology.Laravel;

/// <summary>
/// Laravel's log files (storage/logs/laravel*.log), written by Monolog's LineFormatter:
/// "[2024-01-01 10:00:00] channel.LEVEL: message {context} {extra}", or "[2024-01-01T10:00:00.123456+00:00] ...".
/// An entry runs over the following lines (stack traces) until a line starts with "[" and a timestamp.
/// </summary>
public static class LaravelLogParser
{
    // "[2024-01-01T10:00:00.123456789+00:00]" is the longest stamp Monolog writes; leave room for odd formats.
    private const int MaxStampLength = 48;

    /// <summary>Cuts the whole text of a Laravel log into entries.</summary>
    public static IEnumerable<string> SplitEntries(string text)
    {
        var lines = (text ?? string.Empty).Split('\n');
        return SplitEntries(lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines);
    }

    /// <summary>
    /// Assembles lines into entries. Lines before the first entry form an entry of their own, which then fails
    /// to parse with a reason, so that nothing is dropped silently; blank lines ending an entry are dropped.
    /// </summary>
    public static IEnumerable<string> SplitEntries(IEnumerable<string> lines)
    {
        var current = new StringBuilder();
        var blankLines = new List<string>();
        foreach (var raw in lines)
        {
            var line = (raw ?? string.Empty).TrimEnd('\r');
            if (StartsEntry(line) && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
                blankLines.Clear();
            }

            // Blank lines count only once a later line shows they are inside the entry.
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current.Length > 0)
                {
                    blankLines.Add(line);
                }

                continue;
            }

            foreach (var blank in blankLines)
            {
                current.Append('\n').Append(blank);
            }

            blankLines.Clear();
            current.Append(current.Length > 0 ? "\n" : string.Empty).Append(line);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>
    /// Parses one entry. A printed offset ("+00:00") decides the time; without one the time is a wall-clock time
    /// in <paramref name="timeZone"/> (the app's timezone setting; default UTC).
    /// </summary>
    public static ParseResult<LaravelEntry> ParseEntry(string entry, TimeZoneInfo? timeZone = null)
    {
        var text = entry ?? string.Empty;
        var close = StampEnd(text);
        if (close < 0)
        {
            return Fail("Laravel entry does not start with '[timestamp]'");
        }

        if (!Timestamps.TryParse(text.AsSpan(1, close - 1), timeZone ?? TimeZoneInfo.Utc, out var eventTime))
        {
            return Fail("Laravel entry timestamp is not a valid date-time");
        }

        var rest = text.AsSpan(close + 1).TrimStart(' ');
        var lineEnd = rest.IndexOfAny('\n', ' ');
        var colon = rest[..(lineEnd < 0 ? rest.Length : lineEnd)].IndexOf(':');
        var dot = colon < 0 ? -1 : rest[..colon].LastIndexOf('.');
        if (dot <= 0)
        {
            return Fail("Laravel entry has no 'channel.LEVEL:' after the timestamp");
        }

        if (!TryReadLevel(rest[(dot + 1)..colon], out var level))
        {
            return Fail("Laravel entry level is not one of Monolog's (DEBUG ... EMERGENCY)");
        }

        var body = rest[(colon + 1)..];
        var (message, context, extra) = MonologJsonTail.Split(body.StartsWith(' ') ? body[1..] : body);
        return ParseResult<LaravelEntry>.Ok(new LaravelEntry
        {
            EventTime = eventTime,
            Channel = rest[..dot].ToString(),
            Level = level,
            Message = message,
            Context = context,
            Extra = extra,
            Exception = LaravelExceptionReader.Read(message, context),
        });
    }

    private static bool StartsEntry(string line)
    {
        var close = StampEnd(line);
        return close > 0 && Timestamps.TryParse(line.AsSpan(1, close - 1), TimeZoneInfo.Utc, out _);
    }

    private static int StampEnd(string text)
    {
        if (!text.StartsWith('['))
        {
            return -1;
        }

        var close = text.AsSpan(0, Math.Min(text.Length, MaxStampLength)).IndexOf(']');
        return close > 1 ? close : -1;
    }

    private static bool TryReadLevel(ReadOnlySpan<char> name, out MonologLevel level)
    {
        // Monolog prints the names in capitals; anything else is not a Monolog line.
        level = name switch
        {
            "DEBUG" => MonologLevel.Debug,
            "INFO" => MonologLevel.Info,
            "NOTICE" => MonologLevel.Notice,
            "WARNING" => MonologLevel.Warning,
            "ERROR" => MonologLevel.Error,
            "CRITICAL" => MonologLevel.Critical,
            "ALERT" => MonologLevel.Alert,
            "EMERGENCY" => MonologLevel.Emergency,
            _ => 0,
        };
        return level != 0;
    }

    private static ParseResult<LaravelEntry> Fail(string reason) => ParseResult<LaravelEntry>.Fail(reason);
}
