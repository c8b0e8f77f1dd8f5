using System.Net;
using System.Net.Sockets;

namespace Streams.Topology.Normalising;

/// <summary>
/// Only real addresses may reach an ECS ip field: Elasticsearch rejects the whole document for a malformed one.
/// </summary>
internal static class IpAddresses
{
    /// <summary>The text when it is a dotted-quad IPv4 or an IPv6 address, else null.</summary>
    public static string? OrNull(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        // IPAddress.TryParse also accepts shorthand such as "10" (0.0.0.10), which no log means.
        var plausible = address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':', StringComparison.Ordinal) : text.Count(c => c == '.') == 3;
        return plausible ? text : null;
    }
}
