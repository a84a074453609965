using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Protocol;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// What every part of one session shares: the socket and how to send on it, the session's single
/// cancellation source, its settings, counters and logger.
/// </summary>
internal sealed class SessionContext : IDisposable
{
    private readonly CancellationTokenSource _stop;

    public SessionContext(PushWebSocket socket, ConnectFrontendOptions options, BroadcastTracker broadcasts, ConnectMetrics metrics, ILogger logger, TimeProvider time, string? userAgent)
    {
        Socket = socket;
        Options = options;
        Broadcasts = broadcasts;
        Metrics = metrics;
        Logger = logger;
        Time = time;
        Stats.UserAgent = userAgent ?? string.Empty;

        // One source for the whole session; a send that overruns its time cancels it, which ends the session.
        _stop = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public PushWebSocket Socket { get; }

    public ConnectFrontendOptions Options { get; }

    public BroadcastTracker Broadcasts { get; }

    public ConnectMetrics Metrics { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public SessionStats Stats { get; } = new();

    /// <summary>Cancelled when the session ends, or when a send could not finish in time.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Sends a text message; one that cannot finish within the send timeout means the client stopped reading.</summary>
    public async ValueTask SendAsync(ServerMessage message)
    {
        try
        {
            _stop.CancelAfter(Options.SendTimeout);
            await Socket.SendTextAsync(message.Utf8, _stop.Token);
            _stop.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        finally
        {
            message.Release();
        }
    }

    /// <summary>Sends a WebSocket ping, under the same send timeout.</summary>
    public async ValueTask SendPingAsync()
    {
        _stop.CancelAfter(Options.SendTimeout);
        await Socket.SendPingAsync(_stop.Token);
        _stop.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    public Task StopAsync() => _stop.CancelAsync();

    public void Dispose() => _stop.Dispose();
}
