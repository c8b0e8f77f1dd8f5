using NUnit.Framework;
using Streams.Topology.Mysql;

namespace Streams.Topology.Tests.Mysql;

public sealed class MysqlTimeTests
{
    [TestCase("190324 16:03:00", "2019-03-24T16:03:00.0000000+00:00")]
    [TestCase("190324  6:03:00", "2019-03-24T06:03:00.0000000+00:00")]
    [TestCase("2019-03-24T14:01:47.811234Z", "2019-03-24T14:01:47.8112340+00:00")]
    [TestCase("2019-03-24T16:01:47.811234+02:00", "2019-03-24T14:01:47.8112340+00:00")]
    [TestCase("2026-11-22 16:13:34.073196", "2026-11-22T16:13:34.0731960+00:00")]
    [TestCase("2026-11-22 16:13:34.12345678901", "2026-11-22T16:13:34.1234567+00:00")]
    [TestCase(" 190324 16:03:00 ", "2019-03-24T16:03:00.0000000+00:00")]
    public void Compact_and_iso_times_are_read_as_utc(string text, string expected)
    {
        var ok = MysqlTime.TryParse(text, TimeZoneInfo.Utc, out var utc);

        Assert.That((ok, utc.ToString("O")), Is.EqualTo((true, expected)));
    }

    [TestCase("")]
    [TestCase("190324")]
    [TestCase("190324 16:03")]
    [TestCase("190324 16:03:00x")]
    [TestCase("19032a 16:03:00")]
    [TestCase("190229 10:00:00")]
    [TestCase("2019-03-24T14:01:47.Z")]
    [TestCase("2019-03-24T14:01:47+15:00")]
    [TestCase("2019-03-24T14:01:47+02:60")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    public void Malformed_or_out_of_range_times_are_refused(string text)
    {
        Assert.That(MysqlTime.TryParse(text, TimeZoneInfo.Utc, out _), Is.False);
    }

    [TestCase("1553436105", 1553436105L, 0)]
    [TestCase("1553436105.25", 1553436105L, 250_000)]
    public void Epoch_seconds_are_read(string text, long seconds, int microseconds)
    {
        var ok = MysqlTime.TryParseEpochSeconds(text, out var utc);

        Assert.That((ok, utc), Is.EqualTo((true, DateTimeOffset.FromUnixTimeSeconds(seconds).AddMicroseconds(microseconds))));
    }
}
