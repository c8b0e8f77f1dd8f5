namespace Streams.Topology.Elb;

/// <summary>
/// Parses the ISO 8601 times ELB writes: <c>2018-07-02T22:23:00.186641Z</c> (ALB, Classic) and
/// <c>2018-12-20T02:59:40</c> (NLB, which omits the zone; ELB logs are in UTC).
/// Hand-written because it runs twice per line and must reject rather than guess.
/// </summary>
internal static class ElbTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > 0 && text[^1] == 'Z')
        {
            text = text[..^1];
        }

        if (text.Length < 19
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month)
            || !TryDigits(text.Slice(8, 2), out var day) || !TryDigits(text.Slice(11, 2), out var hour)
            || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        long fractionTicks = 0;
        if (text.Length > 19)
        {
            var fraction = text[20..];
            if (text[19] != '.' || fraction.Length is 0 or > 7 || !TryDigits(fraction, out var digits))
            {
                return false;
            }

            fractionTicks = digits;
            for (var i = fraction.Length; i < 7; i++)
            {
                fractionTicks *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
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
