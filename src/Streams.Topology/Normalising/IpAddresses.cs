namespace Streams.Topology.Normalising;

/// <summary>
/// Only real addresses may reach an ECS ip field: Elasticsearch rejects the whole document for a malformed one.
/// </summary>
internal static class IpAddresses
{
    /// <summary>The text when it is a dotted-quad IPv4 or an IPv6 address, else null.</summary>
    public static string? OrNull(string? text) => Parsing.IpEndpoint.IsIpAddress(text) ? text : null;
}
