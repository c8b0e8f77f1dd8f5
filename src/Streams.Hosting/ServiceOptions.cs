using System.Globalization;
using Microsoft.Extensions.Logging;
using Streams.Runtime;

namespace Streams.Hosting;

/// <summary>
/// The settings every service command reads for itself rather than for Kafka: the port of its health and metrics
/// endpoint and how it logs. They are taken out of the settings before the rest reach the engine's clients.
/// As every setting, each can come from a STREAMS_* variable (STREAMS_HTTP_PORT → http.port).
/// </summary>
public sealed record ServiceOptions
{
    public const string HttpPortKey = "http.port";
    public const string LogFormatKey = "log.format";
    public const string LogLevelKey = "log.level";
    public const int DefaultHttpPort = 8080;
    public const string JsonFormat = "json";
    public const string TextFormat = "text";

    /// <summary>Keys that belong to the service itself and never reach a Kafka client.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal) { HttpPortKey, LogFormatKey, LogLevelKey };

    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>json (one JSON object per line, for CloudWatch Logs Insights) or text.</summary>
    public string LogFormat { get; init; } = JsonFormat;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Reads the service's own keys and returns the other settings untouched; throws naming a bad key.</summary>
    public static (ServiceOptions Options, Dictionary<string, string> Remaining) Split(IReadOnlyDictionary<string, string> settings)
    {
        var options = new ServiceOptions();
        if (settings.TryGetValue(HttpPortKey, out var port))
        {
            options = options with
            {
                HttpPort = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                    ? p
                    : throw new StreamsConfigException(HttpPortKey, $"'{port}' must be a port number from 0 to 65535 (0 picks a free one)"),
            };
        }

        if (settings.TryGetValue(LogFormatKey, out var format))
        {
            var f = format.Trim().ToLowerInvariant();
            options = options with
            {
                LogFormat = f is JsonFormat or TextFormat ? f : throw new StreamsConfigException(LogFormatKey, $"'{format}' must be {JsonFormat} or {TextFormat}"),
            };
        }

        if (settings.TryGetValue(LogLevelKey, out var level))
        {
            options = options with
            {
                LogLevel = Enum.TryParse<LogLevel>(level, ignoreCase: true, out var l) && Enum.IsDefined(l)
                    ? l
                    : throw new StreamsConfigException(LogLevelKey, $"'{level}' must be one of {string.Join(", ", Enum.GetNames<LogLevel>())}"),
            };
        }

        var rest = settings.Where(kv => !Keys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return (options, rest);
    }
}
