using Microsoft.Extensions.Logging;

namespace Push.Silo.Hosting;

/// <summary>
/// What reaches the console: never the <see cref="KnownFalseWarnings"/>, and nothing the
/// <see cref="StartupLogGate"/> holds back once a start has failed for a reason Push explains itself.
/// </summary>
[ProviderAlias("Console")]
internal sealed class ConsoleFilterProvider(ILoggerProvider inner, TimeProvider time, StartupLogGate gate) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName), categoryName, time, gate);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class Filtered(ILogger inner, string category, TimeProvider time, StartupLogGate gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (gate.Passes(category, eventId) && !KnownFalseWarnings.IsKnownFalse(category, logLevel, state, exception, formatter, time))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
