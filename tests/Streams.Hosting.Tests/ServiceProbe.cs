using System.Globalization;
using System.Text.RegularExpressions;

namespace Streams.Hosting.Tests;

/// <summary>What the service tests ask of a running service: whether its endpoint is up, and a sample of /metrics.</summary>
internal static class ServiceProbe
{
    public static bool HasPort(StreamsService service)
    {
        try
        {
            return service.HttpPort > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The value of an unlabelled sample in a Prometheus exposition; -1 when absent.</summary>
    public static double Value(string exposition, string name)
    {
        var match = Regex.Match(exposition, "^" + Regex.Escape(name) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }
}
