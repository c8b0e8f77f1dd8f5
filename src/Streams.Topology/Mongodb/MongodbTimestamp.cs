namespace Streams.Topology.Mongodb;

/// <summary>
/// Parses the times mongod writes: ISO 8601 with a zone (<c>2021-03-22T21:21:20.349+00:00</c>,
/// <c>+0100</c> in legacy text, <c>Z</c> with iso8601-utc) and the yearless ctime form
/// (<c>Tue Nov 15 07:04:17.016</c>). Results are UTC. Hand-written: it runs on every line and must not throw.
/// </summary>
internal static class MongodbTimestamp
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static bool TryParseIso(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month)
            || !TryDigits(text.Slice(8, 2), out var day))
        {
            return false;
        }

        var rest = text[11..];
        if (!TryTimeOfDay(ref rest, out var timeTicks) || !TryOffset(rest, out var offsetMinutes))
        {
            return false;
        }

        return TryCombine(year, month, day, timeTicks, offsetMinutes, out value);
    }

    /// <summary>True when the line starts like a ctime time: a weekday name and a space.</summary>
    public static bool LooksLikeCtime(ReadOnlySpan<char> line) =>
        line.Length > 4 && line[3] == ' ' && IndexOf(Weekdays, line[..3]) >= 0;

    /// <summary>Parses a ctime prefix of <paramref name="line"/>; <paramref name="consumed"/> is its length.</summary>
    public static bool TryParseCtime(ReadOnlySpan<char> line, MongodbCtimeContext context, out DateTimeOffset value, out int consumed)
    {
        value = default;
        consumed = 0;

        // "Tue Nov 15 07:04:17.016"; ctime may pad a one-digit day with a space ("Nov  5").
        if (line.Length < 19 || !LooksLikeCtime(line) || line[7] != ' ')
        {
            return false;
        }

        var month = IndexOf(Months, line.Slice(4, 3)) + 1;
        var dayStart = line[8] == ' ' ? 9 : 8;
        var dayEnd = line[dayStart..].IndexOf(' ');
        if (month == 0 || dayEnd is < 1 or > 2 || !TryDigits(line.Slice(dayStart, dayEnd), out var day))
        {
            return false;
        }

        var rest = line[(dayStart + dayEnd + 1)..];
        var end = rest.IndexOf(' ');
        var clock = end < 0 ? rest : rest[..end];
        var remaining = clock;
        if (!TryTimeOfDay(ref remaining, out var timeTicks) || !remaining.IsEmpty)
        {
            return false;
        }

        consumed = line.Length - rest.Length + clock.Length;
        var offsetMinutes = (int)context.UtcOffset.TotalMinutes;
        return TryCombine(context.Year, month, day, timeTicks, offsetMinutes, out value);
    }

    /// <summary>Reads "HH:mm:ss[.fraction]" off the front of <paramref name="text"/>.</summary>
    private static bool TryTimeOfDay(ref ReadOnlySpan<char> text, out long ticks)
    {
        ticks = 0;
        if (text.Length < 8 || text[2] != ':' || text[5] != ':'
            || !TryDigits(text[..2], out var hour) || !TryDigits(text.Slice(3, 2), out var minute)
            || !TryDigits(text.Slice(6, 2), out var second) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks = new TimeSpan(hour, minute, second).Ticks;
        text = text[8..];
        if (text.IsEmpty || text[0] != '.')
        {
            return true;
        }

        var digits = 1;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        // Ticks are 100 ns: use at most 7 fraction digits, ignore any finer ones.
        var fraction = text[1..digits];
        if (fraction.IsEmpty || !TryDigits(fraction[..Math.Min(7, fraction.Length)], out var value))
        {
            return false;
        }

        long scaled = value;
        for (var i = Math.Min(7, fraction.Length); i < 7; i++)
        {
            scaled *= 10;
        }

        ticks += scaled;
        text = text[digits..];
        return true;
    }

    /// <summary>"Z", "+03:00" or "-0500"; nothing else may follow.</summary>
    private static bool TryOffset(ReadOnlySpan<char> text, out int minutes)
    {
        minutes = 0;
        if (text is "Z")
        {
            return true;
        }

        if (text.Length is not (5 or 6) || text[0] is not ('+' or '-'))
        {
            return false;
        }

        var minuteStart = text.Length == 6 ? 4 : 3;
        if ((text.Length == 6 && text[3] != ':')
            || !TryDigits(text.Slice(1, 2), out var hours) || !TryDigits(text.Slice(minuteStart, 2), out var mins)
            || hours > 14 || mins > 59)
        {
            return false;
        }

        minutes = (text[0] == '-' ? -1 : 1) * ((hours * 60) + mins);
        return true;
    }

    private static bool TryCombine(int year, int month, int day, long timeTicks, int offsetMinutes, out DateTimeOffset value)
    {
        value = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var utcTicks = new DateTime(year, month, day).Ticks + timeTicks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static int IndexOf(string[] names, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (text.SequenceEqual(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
