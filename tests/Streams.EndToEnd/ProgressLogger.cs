using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Streams.EndToEnd;

/// <summary>
/// Writes log entries to NUnit's progress output, which (unlike the console a test captures) shows every entry of a
/// long soak as it happens, whichever test or background thread writes it.
/// </summary>
internal sealed class ProgressLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    private const int Kept = 40;
    private static readonly Queue<string> Warnings = new();

    /// <summary>The last warnings and errors, whatever level is shown: a run that stalls in CI reports them.</summary>
    public static IReadOnlyList<string> RecentWarnings()
    {
        lock (Warnings)
        {
            return [.. Warnings];
        }
    }

    public static void ClearRecentWarnings()
    {
        lock (Warnings)
        {
            Warnings.Clear();
        }
    }

    public ILogger CreateLogger(string categoryName) => new ProgressLogger(categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class ProgressLogger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => (logLevel >= minimum || logLevel >= LogLevel.Warning) && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"  [{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}] {formatter(state, exception)}";
            line = exception is null ? line : line + Environment.NewLine + "    " + exception.GetType().Name + ": " + exception.Message;
            if (logLevel >= LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Enqueue(line);
                    while (Warnings.Count > Kept)
                    {
                        Warnings.Dequeue();
                    }
                }
            }

            if (logLevel >= minimum)
            {
                TestContext.Progress.WriteLine(line);
            }
        }
    }
}
