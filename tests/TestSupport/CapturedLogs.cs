using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Push.Testing;

/// <summary>A logger provider that keeps every entry, for tests that check what Push logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    /// <summary>The exceptions logged with any entry, to show why something failed.</summary>
    public ConcurrentQueue<(string Category, Exception Exception)> Exceptions { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturedLogs sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            sink.Entries.Enqueue((category, logLevel, formatter(state, exception)));
            if (exception is not null)
            {
                sink.Exceptions.Enqueue((category, exception));
            }
        }
    }
}
