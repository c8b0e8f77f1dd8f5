using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;

namespace Streams.Topology.Geo;

/// <summary>
/// Places an IP address with MaxMind City and ASN databases (memory-mapped), behind an LRU cache.
/// Addresses that cannot be placed (private, loopback, unparsable, not in the databases) give null, never an error.
/// Without databases it is <see cref="Disabled"/> and every lookup gives null.
/// </summary>
public sealed class GeoIpEnricher : IDisposable
{
    private static readonly GeoLocation Empty = new(null, null, null, null, null, null, null, null, null);

    private readonly DatabaseReader? _city;
    private readonly DatabaseReader? _asn;
    private readonly LruCache<IPAddress, GeoLocation?> _cache;

    private GeoIpEnricher(DatabaseReader? city, DatabaseReader? asn, int cacheSize)
    {
        _city = city;
        _asn = asn;
        _cache = new LruCache<IPAddress, GeoLocation?>(cacheSize);
    }

    /// <summary>The enricher to use when no database is configured.</summary>
    public static GeoIpEnricher Disabled { get; } = new(null, null, 0);

    public bool IsEnabled => _city is not null || _asn is not null;

    /// <summary>One line for the host to log at start: what is looked up, from which database builds.</summary>
    public string Description =>
        IsEnabled
            ? $"GeoIP enabled: city={Describe(_city)}, asn={Describe(_asn)}, cache={_cache.Capacity}"
            : "GeoIP disabled: no City or ASN database configured";

    public long CacheHits => _cache.Hits;

    public long CacheMisses => _cache.Misses;

    public int CacheCount => _cache.Count;

    /// <summary>
    /// Opens the configured databases. A path that is set but unreadable is a configuration error and throws here,
    /// at start, rather than silently running without locations.
    /// </summary>
    public static GeoIpEnricher Open(GeoIpOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.CacheSize);
        if (string.IsNullOrWhiteSpace(options.CityDatabasePath) && string.IsNullOrWhiteSpace(options.AsnDatabasePath))
        {
            return Disabled;
        }

        var city = OpenReader(options.CityDatabasePath, "City");
        try
        {
            var asn = OpenReader(options.AsnDatabasePath, "ASN");
            return new GeoIpEnricher(city, asn, options.CacheSize);
        }
        catch
        {
            city?.Dispose();
            throw;
        }
    }

    /// <summary>The location of an address as written in a log (IPv4, IPv6, IPv4-mapped, "[v6]"), or null.</summary>
    public GeoLocation? Lookup(string? address) =>
        IsEnabled && address is not null && RoutableAddress.TryParse(address, out var ip) ? LookupRoutable(ip) : null;

    public GeoLocation? Lookup(IPAddress? address)
    {
        if (!IsEnabled || address is null)
        {
            return null;
        }

        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return RoutableAddress.IsRoutable(ip) ? LookupRoutable(ip) : null;
    }

    public void Dispose()
    {
        _city?.Dispose();
        _asn?.Dispose();
    }

    private GeoLocation? LookupRoutable(IPAddress ip)
    {
        if (_cache.TryGet(ip, out var cached))
        {
            return cached;
        }

        var location = Read(ip);
        _cache.Set(ip, location);
        return location;
    }

    private GeoLocation? Read(IPAddress ip)
    {
        var city = Try(_city, ip, static (reader, address) => reader.TryCity(address, out var response) ? response : null);
        var asn = Try(_asn, ip, static (reader, address) => reader.TryAsn(address, out var response) ? response : null);
        if (city is null && asn is null)
        {
            return null;
        }

        var location = new GeoLocation(
            CountryIsoCode: city?.Country.IsoCode,
            CountryName: city?.Country.Name,
            RegionName: city?.Subdivisions.FirstOrDefault()?.Name,
            CityName: city?.City.Name,
            Latitude: city?.Location.Latitude,
            Longitude: city?.Location.Longitude,
            Timezone: city?.Location.TimeZone,
            AsNumber: asn?.AutonomousSystemNumber,
            AsOrganization: asn?.AutonomousSystemOrganization);
        return location == Empty ? null : location;
    }

    /// <summary>A damaged database entry must not stop the stream: the address is then simply not placed.</summary>
    private static T? Try<T>(DatabaseReader? reader, IPAddress ip, Func<DatabaseReader, IPAddress, T?> lookup)
        where T : class
    {
        if (reader is null)
        {
            return null;
        }

        try
        {
            return lookup(reader, ip);
        }
        catch (InvalidDatabaseException)
        {
            return null;
        }
    }

    private static DatabaseReader? OpenReader(string? path, string kind)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"GeoIP {kind} database not found at '{path}'", path);
        }

        var reader = new DatabaseReader(path, FileAccessMode.MemoryMapped);
        if (!reader.Metadata.DatabaseType.Contains(kind, StringComparison.OrdinalIgnoreCase))
        {
            var type = reader.Metadata.DatabaseType;
            reader.Dispose();
            throw new InvalidDataException($"'{path}' is a {type} database, not a {kind} one");
        }

        return reader;
    }

    private static string Describe(DatabaseReader? reader) =>
        reader is null ? "off" : $"{reader.Metadata.DatabaseType} built {reader.Metadata.BuildDate:yyyy-MM-dd}";
}
