namespace Streams.Topology.Geo;

/// <summary>
/// Where an IP address is, as the curated ECS fields need it (geo.country_iso_code, geo.country_name,
/// geo.region_name, geo.city_name, geo.location, geo.timezone, as.number, as.organization.name).
/// Any field may be missing: databases hold country-only records, and the ASN database may not cover the address.
/// </summary>
public sealed record GeoLocation(
    string? CountryIsoCode,
    string? CountryName,
    string? RegionName,
    string? CityName,
    double? Latitude,
    double? Longitude,
    string? Timezone,
    long? AsNumber,
    string? AsOrganization);
