namespace Streams.Cli.Demo;

/// <summary>What <c>streams demo</c> runs on and where it writes.</summary>
internal sealed record DemoOptions
{
    /// <summary>The inputs: laravel/, mysql/, mongodb/, elb/ and geoip/ as in the repository's samples/.</summary>
    public required string SamplesDirectory { get; init; }

    /// <summary>Where the NDJSON bulk files go (one per daily index), unless <see cref="ElasticsearchUrl"/> is set.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The topics.yaml whose topics are created on the embedded cluster.</summary>
    public required string TopicsFile { get; init; }

    /// <summary>A real Elasticsearch to index into instead of files.</summary>
    public string? ElasticsearchUrl { get; init; }

    /// <summary>The GeoIP2/GeoLite2 City database; samples/geoip/demo-city.mmdb when absent.</summary>
    public string? GeoCityPath { get; init; }

    /// <summary>The GeoLite2 ASN database; samples/geoip/demo-asn.mmdb when absent.</summary>
    public string? GeoAsnPath { get; init; }

    /// <summary>Keep the NDJSON files of earlier runs (documents already in them are not written again).</summary>
    public bool KeepState { get; init; }

    /// <summary>The demo gives up (and says where it stood) after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the connectors must have nothing new before their inputs count as read.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(1.5);

    public string CityDatabase => GeoCityPath ?? Path.Combine(SamplesDirectory, "geoip", "demo-city.mmdb");

    public string AsnDatabase => GeoAsnPath ?? Path.Combine(SamplesDirectory, "geoip", "demo-asn.mmdb");
}
