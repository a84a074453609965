using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Acks;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Protocol;
using Push.ConnectFrontend.WebSockets;
using Push.Shared.Logging;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// One WebSocket connection: a single loop that handles everything in order (the client's frames,
/// deliveries from the grain, keep-alive ticks), so the session's state needs no locks and sends never
/// overlap. It waits for the client's next frame; whatever arrives from outside (<see cref="SessionInbox"/>)
/// wakes it from that wait. It reads a frame only when done with the previous one. Commands go to the
/// <see cref="SessionDispatcher"/>, messages through <see cref="SessionDelivery"/>.
/// </summary>
internal sealed partial class PushSession
{
    private readonly SessionContext _context;
    private readonly GrainLink _grain;
    private readonly SessionDelivery _delivery;
    private readonly SessionDispatcher _dispatcher;
    private bool _identified;

    public PushSession(PushWebSocket socket, IGrainFactory grains, AckBatcher acks, ConnectFrontendOptions options, BroadcastTracker broadcasts, ConnectMetrics metrics, ILogger logger, SessionClock clock, string? userAgent, string? remoteAddress)
    {
        _context = new SessionContext(socket, options, broadcasts, metrics, logger, clock, userAgent, remoteAddress);
        _grain = new GrainLink(grains, acks, _context.Inbox, logger, options.GrainCallTimeout, clock.Time);
        _delivery = new SessionDelivery(_context, _grain, new DeliveryWindow(options.Settings.ClientChannelCapacity));
        _dispatcher = new SessionDispatcher(_context, _grain, _delivery);
    }

    /// <summary>Asks the session to renew with its grain soon, at a random point within <see cref="ConnectFrontendOptions.RepairSpread"/>, so many sessions do not renew at once.</summary>
    public void RepairGrainLink() => _context.Inbox.Raise(SessionSignals.RepairGrain);

    /// <summary>Asks the session to close because the frontend is shutting down.</summary>
    public void Shutdown() => _context.Inbox.Raise(SessionSignals.Shutdown);

    public async Task RunAsync()
    {
        var started = _context.Time.GetTimestamp();
        _context.Metrics.Opened();
        _context.KeepAlive.StartHandshake();
        CloseReason? close = null;
        try
        {
            close = await LoopAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The peer vanished or stopped reading mid-send; nothing more can be said to it.
            _context.Socket.Abort();
        }
        catch (Exception e)
        {
            LogSessionFailed(_context.Logger, e);
            close = CloseReason.Internal;
        }
        finally
        {
            await CloseAsync(close);
            _context.KeepAlive.Dispose();
            if (_identified)
            {
                _delivery.HandOverAcks();
            }

            _grain.Detach(_identified);
            _context.Metrics.Closed(close?.Label ?? "client");
            _context.Stats.Log(_context.Logger, _identified ? LogIds.Hash(_grain.Uaid) : string.Empty, close, _context.Time.GetElapsedTime(started));
        }
    }

    /// <summary>Handles events until one ends the session; returns the reason to close with (null: the peer went away).</summary>
    private async Task<CloseReason?> LoopAsync()
    {
        while (true)
        {
            var (done, close) = await HandleInboxAsync();
            if (!done)
            {
                (done, close) = await HandleReceivedAsync(await _context.Socket.ReceiveAsync());
            }

            if (_grain.TakeFailure() && _identified)
            {
                // The grain or its silo may be gone: renew (which re-activates it) soon, not an interval later.
                _context.KeepAlive.RenewWithin(Jitter(_context.Options.RenewRetryDelay, _context.Options.RenewRetryDelay));
            }

            if (done)
            {
                return close;
            }
        }
    }

    private async ValueTask<(bool Done, CloseReason? Close)> HandleReceivedAsync(Received received)
    {
        switch (received.Kind)
        {
            case ReceivedKind.Text:
                // The frame's bytes are parsed before the command's first wait, and let go meanwhile.
                var identified = _identified;
                var command = identified ? _dispatcher.DispatchAsync(received.Payload) : _dispatcher.HandshakeAsync(received.Payload);
                received = default;
                var close = await command;
                if (!identified && close is null)
                {
                    _identified = true;
                    _context.KeepAlive.StartIdentified();
                }

                return (close is not null, close);
            case ReceivedKind.Woken:
                return (false, null);
            case ReceivedKind.Binary:
                return (true, CloseReason.Unsupported);
            case ReceivedKind.ProtocolError:
                return (true, CloseReason.Protocol);
            case ReceivedKind.Close:
                // Echo the client's close; "no status" (1005) may not be sent back, so answer 1000.
                return (true, new CloseReason(
                    received.CloseCode == 1005 ? WebSocketCloseStatus.NormalClosure : (WebSocketCloseStatus)received.CloseCode,
                    received.CloseReason ?? string.Empty));
            default:
                return (true, _identified ? null : CloseReason.StreamClosed);
        }
    }

    /// <summary>Deliveries from the grain, in order, then the signals raised meanwhile.</summary>
    private async ValueTask<(bool Done, CloseReason? Close)> HandleInboxAsync()
    {
        while (_identified && _context.Inbox.TryTake(out var notification))
        {
            await _delivery.OnDeliveredAsync(notification);
        }

        var signals = _context.Inbox.TakeSignals();
        if (signals == SessionSignals.None)
        {
            return (false, null);
        }

        if (signals.HasFlag(SessionSignals.Shutdown))
        {
            return (true, CloseReason.ServerShutdown);
        }

        if (signals.HasFlag(SessionSignals.Superseded))
        {
            return (true, CloseReason.Superseded);
        }

        if (signals.HasFlag(SessionSignals.Tick) && await OnTickAsync() is { } expired)
        {
            return (true, expired);
        }

        if (!_identified)
        {
            return (false, null);
        }

        if (signals.HasFlag(SessionSignals.RepairGrain))
        {
            _context.KeepAlive.RenewWithin(Jitter(TimeSpan.Zero, _context.Options.RepairSpread));
        }

        if (signals.HasFlag(SessionSignals.MissedDelivery))
        {
            // A delivery did not fit the queue; it is stored, so fetch it from the start.
            await _delivery.DrainAsync(fromStart: true);
        }

        return (false, null);
    }

    private async ValueTask<CloseReason?> OnTickAsync()
    {
        var keepAlive = _context.KeepAlive;
        var due = keepAlive.Check(_context.Socket.PongCount);
        if (due.HasFlag(KeepAliveDue.HandshakeExpired) && !_identified)
        {
            return CloseReason.HandshakeTimeout;
        }

        if (due.HasFlag(KeepAliveDue.PongMissed))
        {
            return CloseReason.PongTimeout;
        }

        if (due.HasFlag(KeepAliveDue.Ping) && !await _dispatcher.SendChangedBroadcastsAsync())
        {
            var pongs = _context.Socket.PongCount;
            await _context.SendPingAsync();
            keepAlive.PingSent(pongs);
        }

        if (!due.HasFlag(KeepAliveDue.Renew))
        {
            return null;
        }

        return await _delivery.RenewAsync();
    }

    /// <summary>A random time from <paramref name="least"/> to <paramref name="least"/> + <paramref name="spread"/>.</summary>
    private static TimeSpan Jitter(TimeSpan least, TimeSpan spread) => least + TimeSpan.FromTicks(Random.Shared.NextInt64(spread.Ticks + 1));

    /// <summary>Sends the close frame and gives the client a moment to answer it before the connection goes.</summary>
    private async Task CloseAsync(CloseReason? close)
    {
        if (close is not { } reason)
        {
            return;
        }

        var socket = _context.Socket;
        using var timeout = new CancellationTokenSource(_context.Options.CloseTimeout, _context.Time);
        using var wake = timeout.Token.UnsafeRegister(static s => ((PushWebSocket)s!).Wake(), socket);
        try
        {
            await socket.SendCloseAsync((ushort)reason.Status, reason.Description, timeout.Token);
            while (!timeout.IsCancellationRequested && (await socket.ReceiveAsync()).Kind is ReceivedKind.Text or ReceivedKind.Woken)
            {
                // Whatever the client still sends before its close frame is not handled.
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The peer is gone or silent.
        }
    }
}
