using System.CommandLine;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>How every long-running service command takes its settings: STREAMS_* variables, overridden by --config KEY=VALUE.</summary>
internal static class ServiceSettings
{
    public static Option<string[]> ConfigOption(string example) => new("--config", "-c")
    {
        Description = $"A setting KEY=VALUE (repeatable), e.g. {example}; overrides STREAMS_* variables",
        DefaultValueFactory = _ => [],
    };

    /// <summary>STREAMS_* variables first, then each KEY=VALUE; throws naming a malformed pair.</summary>
    public static Dictionary<string, string> Read(System.Collections.IDictionary environment, IEnumerable<string> pairs)
    {
        var settings = new Dictionary<string, string>(StreamsConfig.FromEnvironment(environment), StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new StreamsConfigException(pair, "must be given as --config KEY=VALUE");
            }

            settings[pair[..separator].Trim()] = pair[(separator + 1)..];
        }

        return settings;
    }
}
