using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Streams.Topology.Mongodb;

/// <summary>
/// Splits the client addresses mongod logs: <c>127.0.0.1:52236</c> and <c>[::1]:27017</c>.
/// Anything else (a unix socket path, a host name) is not an IP address and gives false.
/// </summary>
internal static class MongodbRemoteAddress
{
    public static bool TrySplit(ReadOnlySpan<char> text, out string ip, out int port)
    {
        ip = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            || port > 65535)
        {
            return false;
        }

        var host = text[..colon];
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        if (bracketed)
        {
            host = host[1..^1];
        }

        if (host.IsEmpty || !IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        // IPAddress.TryParse also takes "10" (0.0.0.10); require the dotted quad or an IPv6 with colons.
        var plausible = address.AddressFamily == AddressFamily.InterNetworkV6 ? host.Contains(':') : host.Count('.') == 3;
        if (!plausible)
        {
            return false;
        }

        ip = host.ToString();
        return true;
    }
}
