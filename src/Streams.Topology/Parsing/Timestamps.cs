namespace Streams.Topology.Parsing;

/// <summary>
/// Date-time text as log writers print it: ISO-like "yyyy-MM-dd[T| ]HH:mm:ss[.fraction][Z|±HH:mm]".
/// Text without an offset is a wall-clock time of the zone the caller says the writer ran in.
/// </summary>
internal static class Timestamps
{
    private const int MaxOffsetMinutes = 14 * 60;

    /// <summary>Reads the whole of <paramref name="text"/> as a date-time and converts it to UTC.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        utc = default;
        if (text.Length < 19
            || !TryNumber(text[..4], out var year) || text[4] != '-'
            || !TryNumber(text.Slice(5, 2), out var month) || text[7] != '-'
            || !TryNumber(text.Slice(8, 2), out var day)
            || (text[10] != 'T' && text[10] != ' ')
            || !TryParseClock(text[11..], out var timeOfDay, out var consumed)
            || !TryDate(year, month, day, out var date))
        {
            return false;
        }

        var rest = text[(11 + consumed)..];
        TimeSpan? offset = null;
        if (!rest.IsEmpty)
        {
            if (!TryParseOffset(rest, out var parsed))
            {
                return false;
            }

            offset = parsed;
        }

        return TryToUtc(date + timeOfDay, offset, zone, out utc);
    }

    /// <summary>
    /// Reads "H:mm:ss" or "HH:mm:ss" with an optional fraction of up to 7 significant digits
    /// (more digits are read and dropped) from the start of <paramref name="text"/>.
    /// </summary>
    public static bool TryParseClock(ReadOnlySpan<char> text, out TimeSpan timeOfDay, out int consumed)
    {
        timeOfDay = default;
        consumed = 0;
        var hourDigits = text.Length > 1 && char.IsAsciiDigit(text[1]) ? 2 : 1;
        if (text.Length < hourDigits + 6
            || !TryNumber(text[..hourDigits], out var hour) || text[hourDigits] != ':'
            || !TryNumber(text.Slice(hourDigits + 1, 2), out var minute) || text[hourDigits + 3] != ':'
            || !TryNumber(text.Slice(hourDigits + 4, 2), out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var position = hourDigits + 6;
        long fractionTicks = 0;
        if (position < text.Length && text[position] == '.')
        {
            var digits = 0;
            for (position++; position < text.Length && char.IsAsciiDigit(text[position]); position++, digits++)
            {
                if (digits < 7)
                {
                    fractionTicks = (fractionTicks * 10) + (text[position] - '0');
                }
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                fractionTicks *= 10;
            }
        }

        timeOfDay = new TimeSpan(hour, minute, second) + TimeSpan.FromTicks(fractionTicks);
        consumed = position;
        return true;
    }

    /// <summary>Converts a wall-clock time to UTC with the printed offset, or else the zone's offset at that time.</summary>
    /// <remarks>
    /// A time skipped by a daylight-saving jump or repeated by a fall-back gets the zone's standard offset:
    /// the log does not say which was meant, and a parser must not throw.
    /// </remarks>
    public static bool TryToUtc(DateTime wallClock, TimeSpan? offset, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        var utcTicks = unspecified.Ticks - (offset ?? zone.GetUtcOffset(unspecified)).Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            utc = default;
            return false;
        }

        utc = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Builds a date from numbers read off a log line, refusing impossible ones instead of throwing.</summary>
    public static bool TryDate(int year, int month, int day, out DateTime date)
    {
        date = default;
        if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>Reads a run of ASCII digits (at most 9, so it fits an int) as a number.</summary>
    public static bool TryNumber(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z")
        {
            return true;
        }

        // "+02:00" and "+0200" both occur in the wild.
        if ((text.Length != 6 && text.Length != 5) || (text[0] != '+' && text[0] != '-'))
        {
            return false;
        }

        var minutesAt = text.Length == 6 ? 4 : 3;
        if ((text.Length == 6 && text[3] != ':')
            || !TryNumber(text.Slice(1, 2), out var hours)
            || !TryNumber(text.Slice(minutesAt, 2), out var minutes)
            || minutes > 59)
        {
            return false;
        }

        var total = (hours * 60) + minutes;
        if (total > MaxOffsetMinutes)
        {
            return false;
        }

        offset = TimeSpan.FromMinutes(text[0] == '-' ? -total : total);
        return true;
    }
}
