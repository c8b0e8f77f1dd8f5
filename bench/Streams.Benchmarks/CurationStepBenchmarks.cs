using Avro.Specific;
using BenchmarkDotNet.Attributes;
using Streams.Topology.Curation;
using Streams.Topology.Dedup;
using Streams.Topology.Geo;
using Streams.Topology.Redaction;

namespace Streams.Benchmarks;

/// <summary>The shared per-record steps: secret redaction (text and whole curated records) and the event fingerprint.</summary>
[MemoryDiagnoser]
public class CurationStepBenchmarks
{
    private readonly SecretRedactor _redactor = SecretRedactor.Default;
    private string[] _lines = null!;
    private List<ISpecificRecord> _curated = null!;
    private CuratedRedactor _curatedRedactor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lines = CorpusSamples.Lines("mysql-general-mariadb-10.11.log", "mysql-slowlog-8.0.log", "laravel.log", "mongodb-4.4-json.log", "elb-alb.log");
        _curated = new[] { "mysql", "mongodb", "laravel", "elb" }.SelectMany(CorpusSamples.Curated).ToList();
        _curatedRedactor = new CuratedRedactor(_redactor);
    }

    /// <summary>SQL then free-text redaction of one log line (what each non-URL, non-JSON string field gets).</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public int Redact_line()
    {
        var n = 0;
        for (var i = 0; i < 64; i++)
        {
            n += _redactor.RedactText(_redactor.RedactSql(_lines[i % _lines.Length])).Length;
        }

        return n;
    }

    /// <summary>Every string of one curated record walked and redacted, as the topology does per record.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public void Redact_curated_record()
    {
        for (var i = 0; i < 64; i++)
        {
            _curatedRedactor.Redact(_curated[i % _curated.Count]);
        }
    }

    /// <summary>The event id: SHA-256 over source, origin, event time and the entry.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public int Fingerprint()
    {
        var n = 0;
        for (var i = 0; i < 64; i++)
        {
            n += EventFingerprint.Compute("mysql.general", "db01.example.internal", 1_795_000_000_000_000L + i, _lines[i % _lines.Length]).Length;
        }

        return n;
    }
}

/// <summary>GeoIP lookups against MaxMind-format test databases, with the LRU cache on (10,000 entries) and off.</summary>
[MemoryDiagnoser]
public class GeoIpBenchmarks
{
    private static readonly string[] Addresses =
    [
        "81.2.69.142", "81.2.69.160", "2001:db8::1", "77.227.156.41", "192.168.131.39", "89.160.20.112", "203.0.113.7",
        "198.51.100.23", "10.0.0.1", "8.8.8.8", "1.1.1.1", "172.100.100.185", "2a02:ff0::1", "216.160.83.56",
    ];

    private GeoIpEnricher _geo = null!;
    private string _directory = null!;

    [Params(0, GeoIpOptions.DefaultCacheSize)]
    public int CacheSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = GeoDatabases.Build();
        _geo = GeoIpEnricher.Open(new GeoIpOptions
        {
            CityDatabasePath = Path.Combine(_directory, "GeoIP2-City-Test.mmdb"),
            AsnDatabasePath = Path.Combine(_directory, "GeoLite2-ASN-Test.mmdb"),
            CacheSize = CacheSize,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _geo.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int Lookup()
    {
        var hits = 0;
        for (var i = 0; i < 64; i++)
        {
            hits += _geo.Lookup(Addresses[i % Addresses.Length]) is null ? 0 : 1;
        }

        return hits;
    }
}

/// <summary>The test GeoIP databases, written by tools/geoip/write-mmdb.pl (MaxMind's Perl writer) from the JSON descriptions the GeoIP tests use.</summary>
internal static class GeoDatabases
{
    public static string Build()
    {
        var directory = Path.Combine(Path.GetTempPath(), "streams-bench-geoip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var script = Path.Combine(CorpusSamples.Root, "tools", "geoip", "write-mmdb.pl");
        foreach (var name in new[] { "GeoIP2-City-Test", "GeoLite2-ASN-Test" })
        {
            var description = Path.Combine(CorpusSamples.Root, "tests", "Streams.Topology.Tests", "Geo", name + ".json");
            using var process = System.Diagnostics.Process.Start("perl", [script, description, Path.Combine(directory, name + ".mmdb")]);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} {description} failed (install libmaxmind-db-writer-perl)");
            }
        }

        return directory;
    }
}
