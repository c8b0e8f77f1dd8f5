using System.Net;
using System.Net.Sockets;

namespace Streams.Topology.Geo;

/// <summary>
/// Reads an IP address from log text and keeps it only if a GeoIP database could place it: private, loopback,
/// link-local, multicast, unspecified and reserved addresses (IPv4 and IPv6, IPv4-mapped included) are refused.
/// </summary>
public static class RoutableAddress
{
    /// <summary>Parses <paramref name="text"/> and returns true with the address to look up (IPv4-mapped IPv6 as IPv4).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        text = text.Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        // IPAddress.TryParse reads "81.2" as 81.0.0.2; log text means four parts or it is not an address.
        if (text.IsEmpty || (!text.Contains(':') && text.Count('.') != 3) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.IsIPv4MappedToIPv6)
        {
            parsed = parsed.MapToIPv4();
        }

        if (!IsRoutable(parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public static bool IsRoutable(IPAddress address) =>
        address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsRoutableV4(address),
            AddressFamily.InterNetworkV6 => address.IsIPv4MappedToIPv6 ? IsRoutableV4(address.MapToIPv4()) : IsRoutableV6(address),
            _ => false,
        };

    private static bool IsRoutableV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return !(b[0] == 0                                  // 0.0.0.0/8: unspecified, "this network"
            || b[0] == 10                                   // 10.0.0.0/8: private
            || b[0] == 127                                  // 127.0.0.0/8: loopback
            || (b[0] == 100 && (b[1] & 0xC0) == 64)         // 100.64.0.0/10: carrier-grade NAT
            || (b[0] == 169 && b[1] == 254)                 // 169.254.0.0/16: link-local
            || (b[0] == 172 && (b[1] & 0xF0) == 16)         // 172.16.0.0/12: private
            || (b[0] == 192 && b[1] == 168)                 // 192.168.0.0/16: private
            || b[0] >= 224);                                // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved, broadcast
    }

    private static bool IsRoutableV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        // ::/96 (IPv4-compatible, deprecated) carries no location of its own.
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return b[..12].ContainsAnyExcept((byte)0);
    }
}
