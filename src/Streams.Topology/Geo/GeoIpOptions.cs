namespace Streams.Topology.Geo;

/// <summary>Which MaxMind databases to read; a path left empty switches that half of the lookup off.</summary>
public sealed record GeoIpOptions
{
    public const int DefaultCacheSize = 10_000;

    /// <summary>A GeoIP2 or GeoLite2 City database (.mmdb).</summary>
    public string? CityDatabasePath { get; init; }

    /// <summary>A GeoLite2 ASN database (.mmdb).</summary>
    public string? AsnDatabasePath { get; init; }

    /// <summary>How many addresses (found or not) to remember; 0 turns the cache off.</summary>
    public int CacheSize { get; init; } = DefaultCacheSize;
}
