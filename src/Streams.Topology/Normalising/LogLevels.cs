using Streams.Topology.Laravel;

namespace Streams.Topology.Normalising;

/// <summary>ECS log.level is lower-case; each source's severities map to the names people search for.</summary>
public static class LogLevels
{
    /// <summary>Monolog's level names, lower-case: debug, info, notice, warning, error, critical, alert, emergency.</summary>
    public static string FromMonolog(MonologLevel level) => level switch
    {
        MonologLevel.Debug => "debug",
        MonologLevel.Info => "info",
        MonologLevel.Notice => "notice",
        MonologLevel.Warning => "warning",
        MonologLevel.Error => "error",
        MonologLevel.Critical => "critical",
        MonologLevel.Alert => "alert",
        MonologLevel.Emergency => "emergency",
        _ => level.ToString().ToLowerInvariant(),
    };

    /// <summary>MongoDB's severity letters F, E, W, I and D/D1..D5; null for anything else (2.x lines have none).</summary>
    public static string? FromMongodbSeverity(string? severity) => severity switch
    {
        "F" => "fatal",
        "E" => "error",
        "W" => "warning",
        "I" => "info",
        ['D', ..] => "debug",
        _ => null,
    };
}
