namespace Streams.Topology.Laravel;

/// <summary>Monolog's log levels, with Monolog's own numeric values (RFC 5424 severities, scaled).</summary>
public enum MonologLevel
{
    Debug = 100,
    Info = 200,
    Notice = 250,
    Warning = 300,
    Error = 400,
    Critical = 500,
    Alert = 550,
    Emergency = 600,
}
