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
