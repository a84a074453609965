using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Acks;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// Admits and runs this frontend's sessions, whichever way their WebSocket was opened (straight off
/// the connection, or as an upgraded HTTP request).
/// </summary>
internal sealed class SessionHost(
    ConnectFrontendOptions options,
    SessionRegistry registry,
    IGrainFactory grains,
    AckBatcher acks,
    BroadcastTracker broadcasts,
    ConnectMetrics metrics,
    SessionClock clock,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime)
{
    private readonly ILogger _logger = loggers.CreateLogger("Push.ConnectFrontend.Session");

    // One registration for all sessions, instead of one on the stopping token per session.
    private readonly CancellationTokenRegistration _onStopping = lifetime.ApplicationStopping.Register(registry.ShutdownAll);

    public int MaxMessageBytes => options.MaxMessageBytes;

    public TimeSpan HandshakeTimeout => options.HandshakeTimeout;

    /// <summary>Proxies whose <c>X-Forwarded-For</c> names the client (<c>trusted_proxies</c>).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies => options.TrustedProxies;

    /// <summary>Counts a new session unless <c>max_connections</c> are open.</summary>
    public bool TryOpen() => registry.TryOpen(options.Settings.MaxConnections);

    /// <summary>A connection was refused for <c>max_connections</c> (counted in the metrics).</summary>
    public void Refused() => metrics.ConnectionRefused();

    /// <summary>A connection <see cref="TryOpen"/> admitted ended before its session started.</summary>
    public void Abandon() => registry.Closed();

    /// <summary>Runs the session of an admitted connection until it ends.</summary>
    public async Task RunAsync(PushWebSocket socket, string? userAgent, string? remoteAddress)
    {
        var session = new PushSession(socket, grains, acks, options, broadcasts, metrics, _logger, clock, userAgent, remoteAddress);
        registry.Attach(session);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Attached after the stopping sessions were told: told here.
            session.Shutdown();
        }

        try
        {
            await session.RunAsync();
        }
        finally
        {
            registry.Detach(session);
            registry.Closed();
        }
    }
}
