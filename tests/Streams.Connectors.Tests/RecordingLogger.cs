using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streams.Connectors.Tests;

/// <summary>Keeps what was logged, so a test can tell which path the code took.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} ({exception?.Message})");
}
