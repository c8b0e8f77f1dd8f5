using Streams.Connectors.Hosting;

namespace Streams.Cli.Demo;

/// <summary>The connectors that read samples/, configured as a user would configure them with streams connect.</summary>
internal static class DemoSamples
{
    public static readonly IReadOnlyList<string> Sources = ["mysql", "mongodb", "laravel", "elb"];

    public static IEnumerable<(string Name, Dictionary<string, string> Settings)> Connectors(string samples, IReadOnlyDictionary<string, string> common)
    {
        Dictionary<string, string> Settings(string type, params (string Key, string Value)[] own)
        {
            var settings = new Dictionary<string, string>(common, StringComparer.Ordinal)
            {
                [SourceConnectors.TypeKey] = type,
                [SourceConnectors.PollIntervalKey] = "50",
                [SourceConnectors.BatchSizeKey] = "1000",
            };
            foreach (var (key, value) in own)
            {
                settings[key] = value;
            }

            return settings;
        }

        yield return ("demo-mysql", Settings(
            "mysql",
            ("mysql.mode", "file"),
            ("mysql.file.general.path", Path.Combine(samples, "mysql", "general.log")),
            ("mysql.file.slow.path", Path.Combine(samples, "mysql", "slow.log")),
            ("mysql.file.idle.flush.ms", "300"),
            ("mysql.file.host", "db-1")));
        yield return ("demo-mongodb", Settings(
            "mongodb",
            ("mongodb.mode", "file"),
            ("mongodb.file.path", Path.Combine(samples, "mongodb", "mongod.log")),
            ("mongodb.file.idle.flush.ms", "300"),
            ("mongodb.file.host", "mongo-1")));
        yield return ("demo-laravel", Settings(
            "laravel",
            ("laravel.path", Path.Combine(samples, "laravel", "laravel*.log")),
            ("laravel.idle.flush.ms", "300"),
            ("laravel.host", "api-1")));
        yield return ("demo-elb", Settings(
            "elb",
            ("elb.source", "directory"),
            ("elb.directory", Path.Combine(samples, "elb"))));
    }
}
