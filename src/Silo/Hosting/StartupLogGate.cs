using Microsoft.Extensions.Logging;

namespace Push.Silo.Hosting;

/// <summary>
/// Keeps the console to the one line Push prints when start-up fails for a reason it explains
/// itself (<see cref="StartupException"/>): once closed, the components stopping after the failure
/// (Orleans, Garnet, Kestrel, the host) print nothing, where each would report it with a stack trace.
/// </summary>
internal sealed class StartupLogGate
{
    // The host's own report of a start that failed: the exception reaches Push, which says it better.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const int HostingFailedToStart = 11;

    private volatile bool _closed;

    public void Close() => _closed = true;

    public bool Passes(string category, EventId eventId) =>
        !_closed && !(eventId.Id == HostingFailedToStart && category == HostCategory);
}

/// <summary>Lets through only what the <see cref="StartupLogGate"/> passes.</summary>
[ProviderAlias("Console")]
internal sealed class GatedLoggerProvider(ILoggerProvider inner, StartupLogGate gate) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new Gated(inner.CreateLogger(categoryName), categoryName, gate);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class Gated(ILogger inner, string category, StartupLogGate gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (gate.Passes(category, eventId))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
