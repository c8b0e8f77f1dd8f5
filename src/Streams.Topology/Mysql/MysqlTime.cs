using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>
/// Times as MySQL and MariaDB print them in their log files: the old compact "YYMMDD H:MM:SS"
/// (MariaDB, MySQL before 5.7; hour padded with a space, no zone) or ISO 8601 (MySQL 5.7 and later).
/// </summary>
internal static class MysqlTime
{
    /// <summary>Reads either form; a time without an offset is a wall-clock time in <paramref name="zone"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        text = text.Trim();
        return IsCompact(text)
            ? TryParseCompact(text, zone, out utc)
            : Timestamps.TryParse(text, zone, out utc);
    }

    /// <summary>Reads "SET timestamp=1553436105;" seconds since the epoch (a fraction is allowed) as UTC.</summary>
    public static bool TryParseEpochSeconds(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        utc = default;
        if (!MysqlDuration.TryParseSeconds(text, out var sinceEpoch)
            || sinceEpoch > DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch)
        {
            return false;
        }

        utc = DateTimeOffset.UnixEpoch + sinceEpoch;
        return true;
    }

    private static bool IsCompact(ReadOnlySpan<char> text) =>
        text.Length >= 7 && text[6] == ' ' && !text[..6].ContainsAnyExceptInRange('0', '9');

    private static bool TryParseCompact(ReadOnlySpan<char> text, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        utc = default;
        var clock = text[7..].TrimStart(' ');
        // MySQL prints the year modulo 100; these logs cannot predate 2000.
        return Timestamps.TryNumber(text[..2], out var year)
            && Timestamps.TryNumber(text.Slice(2, 2), out var month)
            && Timestamps.TryNumber(text.Slice(4, 2), out var day)
            && Timestamps.TryDate(2000 + year, month, day, out var date)
            && Timestamps.TryParseClock(clock, out var timeOfDay, out var consumed)
            && consumed == clock.Length
            && Timestamps.TryToUtc(date + timeOfDay, null, zone, out utc);
    }
}
