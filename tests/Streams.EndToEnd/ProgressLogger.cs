using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Streams.EndToEnd;

/// <summary>
/// Writes log entries to NUnit's progress output, which (unlike the console a test captures) shows every entry of a
/// long soak as it happens, whichever test or background thread writes it.
/// </summary>
internal sealed class ProgressLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ProgressLogger(categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class ProgressLogger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"  [{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}] {formatter(state, exception)}";
            TestContext.Progress.WriteLine(exception is null ? line : line + Environment.NewLine + "    " + exception.GetType().Name + ": " + exception.Message);
        }
    }
}
