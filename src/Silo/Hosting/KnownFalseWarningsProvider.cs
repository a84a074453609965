using Microsoft.Extensions.Logging;

namespace Push.Silo.Hosting;

/// <summary>Wraps the console provider so <see cref="KnownFalseWarnings"/> never reach the terminal.</summary>
[ProviderAlias("Console")]
internal sealed class KnownFalseWarningsProvider(ILoggerProvider inner, TimeProvider time) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName), categoryName, time);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class Filtered(ILogger inner, string category, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!KnownFalseWarnings.IsKnownFalse(category, logLevel, state, exception, formatter, time))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
