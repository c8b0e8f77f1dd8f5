namespace Streams.Topology.Laravel;

/// <summary>One entry of a Laravel log file (Monolog's line format), possibly spanning lines.</summary>
public sealed record LaravelEntry
{
    /// <summary>The entry's time in UTC: its printed offset when it has one, else a wall-clock time of the app's zone.</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The Monolog channel, which Laravel names after the environment ("local", "production").</summary>
    public required string Channel { get; init; }

    public required MonologLevel Level { get; init; }

    /// <summary>The message as printed, without the trailing context and extra; may span lines.</summary>
    public required string Message { get; init; }

    /// <summary>
    /// The context as JSON text, or null when none was printed. Monolog writes stack traces inside it with raw
    /// line breaks; those are escaped again here, so this is always valid JSON.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>The extra (processor) data as JSON text, or null when none was printed.</summary>
    public string? Extra { get; init; }

    /// <summary>The exception the entry reports, from the context or from the message; null when none.</summary>
    public LaravelException? Exception { get; init; }
}

/// <summary>An exception a Laravel log entry reports.</summary>
/// <param name="ClassName">The fully qualified class, e.g. "Illuminate\Database\QueryException".</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Code">The exception code as printed ("0", "7", "HY000"); null when not printed.</param>
/// <param name="File">The file the exception was thrown in; null when not printed.</param>
/// <param name="Line">The line in <paramref name="File"/>; null when not printed.</param>
/// <param name="StackTrace">The "#0 ..." frames, one per line; null when not printed.</param>
public sealed record LaravelException(string ClassName, string Message, string? Code, string? File, long? Line, string? StackTrace);
