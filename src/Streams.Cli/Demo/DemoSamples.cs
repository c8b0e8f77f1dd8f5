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

        yield return ("demo-laravel", Settings("laravel", ("laravel.path", Path.Combine(samples, "laravel", "laravel*.log")), ("laravel.idle.flush.ms", "300"), ("laravel.host", "api-1")));
    }
}
