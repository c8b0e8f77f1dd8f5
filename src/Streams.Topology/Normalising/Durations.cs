namespace Streams.Topology.Normalising;

/// <summary>ECS event.duration is nanoseconds; sources log ticks, milliseconds or seconds.</summary>
internal static class Durations
{
    private const long NanosPerTick = 100;
    private const long NanosPerMilli = 1_000_000;

    /// <summary>Null for a negative duration or one too long for a long of nanoseconds (about 292 years).</summary>
    public static long? Nanoseconds(TimeSpan duration) =>
        duration.Ticks < 0 || duration.Ticks > long.MaxValue / NanosPerTick ? null : duration.Ticks * NanosPerTick;

    public static long? FromMilliseconds(long? millis) =>
        millis is not { } value || value < 0 || value > long.MaxValue / NanosPerMilli ? null : value * NanosPerMilli;

    /// <summary>Seconds to nanoseconds, rounded (0.001 s is 1,000,000 ns, not 999,999).</summary>
    public static long? FromSeconds(double? seconds) =>
        seconds is not { } value || !double.IsFinite(value) || value < 0 || value * 1e9 >= long.MaxValue
            ? null
            : (long)Math.Round(value * 1e9, MidpointRounding.AwayFromZero);

    /// <summary>Microseconds of a duration (the mysql.*_time_us fields).</summary>
    public static long? Microseconds(TimeSpan duration) => duration.Ticks < 0 ? null : duration.Ticks / TimeSpan.TicksPerMicrosecond;
}
