using System.Buffers;

namespace Streams.Topology.Normalising;

/// <summary>Protocol versions as ECS writes them: http.version "1.1", tls.version "1.2" with tls.version_protocol "tls".</summary>
public static class ProtocolVersions
{
    private static readonly SearchValues<char> VersionCharacters = SearchValues.Create("0123456789.");

    /// <summary>"HTTP/1.1" → "1.1", "HTTP/2.0" → "2.0"; null for anything that is not an HTTP protocol.</summary>
    public static string? Http(string? protocol) =>
        protocol is { Length: > 5 } && protocol.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) ? protocol[5..] : null;

    /// <summary>
    /// "TLSv1.2" (ALB, Classic) and "tlsv12" (NLB) → ("1.2", "tls"); "TLSv1" → ("1.0", "tls"); "SSLv3" → ("3.0", "ssl").
    /// Null parts for anything else.
    /// </summary>
    public static (string? Version, string? Protocol) Tls(string? protocol)
    {
        if (protocol is not { Length: > 3 })
        {
            return (null, null);
        }

        var name = protocol[..3].ToLowerInvariant();
        if (name is not ("tls" or "ssl"))
        {
            return (null, null);
        }

        var number = protocol.AsSpan(3).TrimStart("vV");
        if (number.IsEmpty || number.ContainsAnyExcept(VersionCharacters))
        {
            return (null, name);
        }

        var version = number.Contains('.') ? number.ToString()
            : number.Length == 1 ? $"{number}.0"
            : $"{number[0]}.{number[1..]}";
        return (version, name);
    }
}
