using System.CommandLine;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Cli.Commands;

/// <summary>streams curate --source elb|mysql-general|mysql-slowlog|mongodb|laravel [--input FILE] [--geoip-city FILE] [--geoip-asn FILE] [--timezone TZ]</summary>
internal static class CurateCommand
{
    public static Command Build()
    {
        var source = new Option<string>("--source") { Description = "The input's format: " + string.Join(", ", NativeText.Kinds), Required = true };
        source.AcceptOnlyFromAmong([.. NativeText.Kinds]);
        var input = new Option<FileInfo?>("--input") { Description = "A log file (standard input when absent)" };
        var city = new Option<FileInfo?>("--geoip-city") { Description = "A GeoIP2/GeoLite2 City database (.mmdb)" };
        var asn = new Option<FileInfo?>("--geoip-asn") { Description = "A GeoLite2 ASN database (.mmdb)" };
        var timezone = new Option<string>("--timezone") { Description = "IANA zone of sources that log local time (Laravel, MySQL files)", DefaultValueFactory = _ => "UTC" };
        var command = new Command("curate", "Curate a source's native log text and print one JSON line per document (dead letters to standard error)")
        {
            source, input, city, asn, timezone,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(input) is { Exists: false } missing)
            {
                Console.Error.WriteLine($"streams curate: input file '{missing.FullName}' does not exist");
                return 2;
            }

            TimeZoneInfo zone;
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(parse.GetValue(timezone)!);
            }
            catch (TimeZoneNotFoundException)
            {
                Console.Error.WriteLine($"streams curate: --timezone '{parse.GetValue(timezone)}' is not a known time zone (use an IANA name such as Europe/Berlin)");
                return 2;
            }

            GeoIpEnricher geo;
            try
            {
                geo = GeoIpEnricher.Open(new GeoIpOptions { CityDatabasePath = parse.GetValue(city)?.FullName, AsnDatabasePath = parse.GetValue(asn)?.FullName });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or MaxMind.Db.InvalidDatabaseException)
            {
                Console.Error.WriteLine($"streams curate: cannot open the GeoIP database: {ex.Message}");
                return 2;
            }

            using (geo)
            {
                var file = parse.GetValue(input);
                var text = file is null ? Console.In.ReadToEnd() : File.ReadAllText(file.FullName);
                var origin = file?.FullName ?? "stdin";
                return new CurateRunner(Console.Out, Console.Error).Run(parse.GetValue(source)!, text, origin, geo, zone);
            }
        });
        return command;
    }
}
