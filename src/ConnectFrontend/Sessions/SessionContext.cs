using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Protocol;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// What every part of one session shares: the socket and how to send on it, what reaches the session from
/// outside, its deadlines, settings, counters and logger.
/// </summary>
internal sealed class SessionContext
{
    public SessionContext(PushWebSocket socket, ConnectFrontendOptions options, BroadcastTracker broadcasts, ConnectMetrics metrics, ILogger logger, SessionClock clock, string? userAgent, string? remoteAddress)
    {
        Socket = socket;
        Options = options;
        Broadcasts = broadcasts;
        Metrics = metrics;
        Logger = logger;
        Time = clock.Time;
        Stats.UserAgent = userAgent ?? string.Empty;
        Stats.RemoteAddress = remoteAddress ?? string.Empty;
        Inbox = new SessionInbox(socket, options.Settings.ClientChannelCapacity + 16);
        KeepAlive = new KeepAlive(clock, options, Inbox);

        // Every send, pongs included, must end within the send timeout, or the connection is dropped.
        socket.SendWatch = KeepAlive;
    }

    public PushWebSocket Socket { get; }

    public ConnectFrontendOptions Options { get; }

    public BroadcastTracker Broadcasts { get; }

    public ConnectMetrics Metrics { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public SessionInbox Inbox { get; }

    public KeepAlive KeepAlive { get; }

    public SessionStats Stats { get; } = new();

    /// <summary>Sends a text message; one that cannot finish within the send timeout means the client stopped reading.</summary>
    public async ValueTask SendAsync(ServerMessage message)
    {
        try
        {
            await Socket.SendTextAsync(message.Utf8);
        }
        finally
        {
            message.Release();
        }
    }

    /// <summary>Sends a WebSocket ping, under the same send timeout.</summary>
    public ValueTask SendPingAsync() => Socket.SendPingAsync();
}
