using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

internal static class ElbAssert
{
    /// <summary>Parses a line that must succeed and returns the entry, showing the reason if it did not.</summary>
    public static ElbAccessLogEntry Parses(string line)
    {
        var result = ElbAccessLogParser.Parse(line);
        Assert.That(result.IsSuccess, Is.True, () => $"expected success, got: {result.Error}");
        return result.Value!;
    }

    /// <summary>Parses a line that must fail and returns the reason.</summary>
    public static string Fails(string line)
    {
        var result = ElbAccessLogParser.Parse(line);
        Assert.That(result.IsSuccess, Is.False, "expected a failure");
        Assert.That(result.Error, Is.Not.Null.And.Not.Empty);
        return result.Error!;
    }
}
