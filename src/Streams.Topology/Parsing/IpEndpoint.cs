using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Streams.Topology.Parsing;

/// <summary>
/// The <c>ip:port</c> forms logs write: AWS prints IPv6 without brackets (<c>2001:db8::1:443</c>), so the port is
/// after the last colon; mongod writes <c>[::1]:27017</c>. Anything else (a socket path, a host name) is not an
/// address and gives false. Every source and the normalisers share this one rule of what an IP address is.
/// </summary>
internal static class IpEndpoint
{
    public static bool TrySplit(ReadOnlySpan<char> text, out string ip, out int port)
    {
        ip = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !TryParsePort(text[(colon + 1)..], out port))
        {
            return false;
        }

        var address = text[..colon];
        if (address.Length > 2 && address[0] == '[' && address[^1] == ']')
        {
            address = address[1..^1];
        }

        if (!IsIpAddress(address))
        {
            return false;
        }

        ip = address.ToString();
        return true;
    }

    /// <summary>
    /// True for a dotted-quad IPv4 or an IPv6 address. IPAddress.TryParse alone also accepts
    /// shorthand such as "10" (0.0.0.10), which no load balancer writes.
    /// </summary>
    public static bool IsIpAddress(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        return parsed.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':')
            : text.Count('.') == 3;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
}
