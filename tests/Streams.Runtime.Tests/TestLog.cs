using Microsoft.Extensions.Logging;

namespace Streams.Runtime.Tests;

/// <summary>Engine logs into the test's progress output, with times, so a failed run can be read afterwards.</summary>
internal sealed class TestLog(LogLevel minimum = LogLevel.Information) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)} {exception?.Message}");
        }
    }

    public void Dispose()
    {
    }
}
