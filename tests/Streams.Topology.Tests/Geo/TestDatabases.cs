using System.Diagnostics;
using NUnit.Framework;

namespace Streams.Topology.Tests.Geo;

/// <summary>
/// Builds the test .mmdb files from GeoIP2-City-Test.json and GeoLite2-ASN-Test.json with MaxMind's own Perl writer
/// (tools/geoip/write-mmdb.pl, which also builds the demo's databases) once for every GeoIP fixture, so the enricher
/// is tested against databases in the real format rather than against a fake reader. The networks and values are the
/// ones the GeoIP tests assert; change both together.
/// </summary>
[SetUpFixture]
public sealed class TestDatabases
{
    private static string? _directory;

    public static string City => Path.Combine(Built, "GeoIP2-City-Test.mmdb");

    public static string Asn => Path.Combine(Built, "GeoLite2-ASN-Test.mmdb");

    private static string Built => _directory ?? throw new InvalidOperationException("the GeoIP test databases were not built");

    [OneTimeSetUp]
    public void BuildDatabases()
    {
        var (check, checkOutput) = Run("perl", "-MMaxMind::DB::Writer::Tree", "-e", "1");
        if (check != 0)
        {
            Assert.Fail(
                "The GeoIP tests build their databases with MaxMind's Perl writer, which is missing: "
                + "install libmaxmind-db-writer-perl (apt-get install libmaxmind-db-writer-perl).\n" + checkOutput);
        }

        var directory = Path.Combine(Path.GetTempPath(), "streams-geoip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var script = Path.GetFullPath(Path.Combine(Corpus.Directory, "..", "..", "tools", "geoip", "write-mmdb.pl"));
        foreach (var name in new[] { "GeoIP2-City-Test", "GeoLite2-ASN-Test" })
        {
            var description = Path.GetFullPath(Path.Combine(Corpus.Directory, "..", "Streams.Topology.Tests", "Geo", name + ".json"));
            var (exit, output) = Run("perl", script, description, Path.Combine(directory, name + ".mmdb"));
            if (exit != 0)
            {
                Assert.Fail($"{script} {description} failed with exit code {exit}:\n{output}");
            }
        }

        _directory = directory;
    }

    [OneTimeTearDown]
    public void DeleteDatabases()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        _directory = null;
    }

    public static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"cannot run {program}: {e.Message}");
        }
    }
}
