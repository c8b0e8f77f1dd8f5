using NUnit.Framework;
using Streams.Topology.Mongodb;

namespace Streams.Topology.Tests.Mongodb;

internal static class MongodbAssert
{
    public static MongodbLogEntry Parses(string line, MongodbCtimeContext? ctime = null)
    {
        var result = MongodbLogParser.Parse(line, ctime);
        Assert.That(result.IsSuccess, Is.True, () => $"expected success, got: {result.Error}");
        return result.Value!;
    }

    public static string Fails(string line, MongodbCtimeContext? ctime = null)
    {
        var result = MongodbLogParser.Parse(line, ctime);
        Assert.That(result.IsSuccess, Is.False, "expected a failure");
        Assert.That(result.Error, Is.Not.Null.And.Not.Empty);
        return result.Error!;
    }

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second, int millisecond) =>
        new(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
}
