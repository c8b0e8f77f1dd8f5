using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>
/// Durations as MySQL prints them: decimal seconds in the slow log file ("2.475469") and
/// TIME(6) values in the slow_log table ("00:00:02.000123", hours may exceed 24).
/// Read digit by digit so microseconds stay exact (no floating point on the way).
/// </summary>
internal static class MysqlDuration
{
    // More integer digits than this would overflow TimeSpan; no real query runs for 30,000 years.
    private const int MaxSecondDigits = 11;

    /// <summary>Reads "S[.ffffff]" (seconds, non-negative, up to 7 fraction digits kept).</summary>
    public static bool TryParseSeconds(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = default;
        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        if (whole.IsEmpty || whole.Length > MaxSecondDigits || whole.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        long seconds = 0;
        foreach (var c in whole)
        {
            seconds = (seconds * 10) + (c - '0');
        }

        if (!TryFractionTicks(dot < 0 ? default : text[(dot + 1)..], dot >= 0, out var fraction))
        {
            return false;
        }

        duration = TimeSpan.FromTicks((seconds * TimeSpan.TicksPerSecond) + fraction);
        return true;
    }

    /// <summary>Reads a MySQL TIME value "[-]H:MM:SS[.ffffff]" as a duration.</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var firstColon = text.IndexOf(':');
        if (firstColon < 1 || text.Length < firstColon + 6 || text[firstColon + 3] != ':'
            || !Timestamps.TryNumber(text[..firstColon], out var hours) || firstColon > 6
            || !Timestamps.TryNumber(text.Slice(firstColon + 1, 2), out var minutes) || minutes > 59)
        {
            return false;
        }

        var secondsText = text[(firstColon + 4)..];
        var twoDigitSeconds = secondsText.Length == 2 || (secondsText.Length > 3 && secondsText[2] == '.');
        if (!twoDigitSeconds || !TryParseSeconds(secondsText, out var seconds) || seconds >= TimeSpan.FromMinutes(1))
        {
            return false;
        }

        var total = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + seconds;
        duration = negative ? -total : total;
        return true;
    }

    private static bool TryFractionTicks(ReadOnlySpan<char> digits, bool present, out long ticks)
    {
        ticks = 0;
        if (!present)
        {
            return true;
        }

        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return true;
    }
}
