using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Acks;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Protocol;
using Push.ConnectFrontend.WebSockets;
using Push.Shared.Logging;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// One WebSocket connection: the handler loop. A receive loop turns frames into events; a single loop
/// handles every event in order (client frames, deliveries from the grain, keep-alive ticks), so the
/// session's state needs no locks and sends never overlap. Commands go to the
/// <see cref="SessionDispatcher"/>, messages through <see cref="SessionDelivery"/>.
/// </summary>
internal sealed partial class PushSession
{
    private readonly SessionContext _context;
    private readonly SessionInbox _inbox;
    private readonly GrainLink _grain;
    private readonly SessionDelivery _delivery;
    private readonly SessionDispatcher _dispatcher;
    private readonly KeepAlive _keepAlive;
    private bool _identified;

    public PushSession(PushWebSocket socket, IGrainFactory grains, AckBatcher acks, ConnectFrontendOptions options, BroadcastTracker broadcasts, ConnectMetrics metrics, ILogger logger, string? userAgent, string? remoteAddress, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        _context = new SessionContext(socket, options, broadcasts, metrics, logger, time, userAgent, remoteAddress);
        var window = options.Settings.ClientChannelCapacity;
        _inbox = new SessionInbox(window + 16, options.MaxQueuedFrameBytes);
        _grain = new GrainLink(grains, acks, _inbox, logger, options.GrainCallTimeout, time);
        _delivery = new SessionDelivery(_context, _grain, new DeliveryWindow(window));
        _dispatcher = new SessionDispatcher(_context, _grain, _delivery);
        _keepAlive = new KeepAlive(time, options, () => _inbox.Raise(SessionSignals.Tick));
    }

    /// <summary>Bytes of client frames this session holds queued and not yet handled.</summary>
    public long QueuedFrameBytes => _inbox.QueuedFrameBytes;

    /// <summary>Asks the session to renew with its grain soon, at a random point within <see cref="ConnectFrontendOptions.RepairSpread"/>, so many sessions do not renew at once.</summary>
    public void RepairGrainLink() => _inbox.Raise(SessionSignals.RepairGrain);

    public async Task RunAsync(CancellationToken shutdown)
    {
        var started = _context.Time.GetTimestamp();
        _context.Metrics.Opened();
        using var onShutdown = shutdown.UnsafeRegister(static inbox => ((SessionInbox)inbox!).Raise(SessionSignals.Shutdown), _inbox);
        _keepAlive.StartHandshake();
        var receive = ReceiveLoopAsync();
        CloseReason? close = null;
        try
        {
            close = await LoopAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && !shutdown.IsCancellationRequested)
        {
            // The peer vanished or stopped reading mid-send; nothing more can be said to it.
            _context.Socket.Abort();
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            close = CloseReason.ServerShutdown;
        }
        catch (Exception e)
        {
            LogSessionFailed(_context.Logger, e);
            close = CloseReason.Internal;
        }
        finally
        {
            await EndAsync(close, receive);
            _context.Metrics.Closed(close?.Label ?? "client");
            _context.Stats.Log(_context.Logger, _identified ? LogIds.Hash(_grain.Uaid) : string.Empty, close, _context.Time.GetElapsedTime(started));
        }
    }

    /// <summary>Handles events until one ends the session; returns the reason to close with (null: the peer went away).</summary>
    private async Task<CloseReason?> LoopAsync()
    {
        var reader = _inbox.Reader;
        while (await reader.WaitToReadAsync(_context.Stopping))
        {
            while (reader.TryRead(out var next))
            {
                var (done, close) = await HandleAsync(next);
                if (!done)
                {
                    (done, close) = await HandleSignalsAsync(_inbox.TakeSignals());
                }

                if (_grain.TakeFailure() && _identified)
                {
                    // The grain or its silo may be gone: renew (which re-activates it) soon, not an interval later.
                    _keepAlive.RenewWithin(Jitter(_context.Options.RenewRetryDelay, _context.Options.RenewRetryDelay));
                }

                if (done)
                {
                    return close;
                }
            }
        }

        return null;
    }

    private async ValueTask<(bool Done, CloseReason? Close)> HandleAsync(SessionEvent next)
    {
        switch (next)
        {
            case FrameReceived frame:
                var close = _identified ? await _dispatcher.DispatchAsync(frame) : await HandshakeAsync(frame);
                _inbox.Handled(frame);
                return (close is not null, close);
            case Delivered delivered when _identified:
                await _delivery.OnDeliveredAsync(delivered.Notification);
                return (false, null);
            case SocketEnded ended:
                return (true, ended.Reason ?? (_identified ? null : CloseReason.StreamClosed));
            default:
                return (false, null);
        }
    }

    private async ValueTask<CloseReason?> HandshakeAsync(FrameReceived frame)
    {
        var close = await _dispatcher.HandshakeAsync(frame);
        if (close is null)
        {
            _identified = true;
            _keepAlive.StartIdentified();
        }

        return close;
    }

    private async ValueTask<(bool Done, CloseReason? Close)> HandleSignalsAsync(SessionSignals signals)
    {
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
            _keepAlive.RenewWithin(Jitter(TimeSpan.Zero, _context.Options.RepairSpread));
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
        var due = _keepAlive.Check(_context.Socket.PongCount);
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
            _keepAlive.PingSent(pongs);
        }

        if (!due.HasFlag(KeepAliveDue.Renew))
        {
            return null;
        }

        return await _delivery.RenewAsync();
    }

    /// <summary>A random time from <paramref name="least"/> to <paramref name="least"/> + <paramref name="spread"/>.</summary>
    private static TimeSpan Jitter(TimeSpan least, TimeSpan spread) => least + TimeSpan.FromTicks(Random.Shared.NextInt64(spread.Ticks + 1));

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                await _inbox.WaitForRoomAsync(_context.Stopping);
                // Converted at once: no local keeps the frame's bytes while this loop waits for room.
                var next = ToEvent(await _context.Socket.ReceiveAsync(_context.Stopping));
                await _inbox.PostAsync(next, _context.Stopping);
                if (next is SocketEnded)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or IOException)
        {
            _ = _inbox.TryPost(new SocketEnded(null));
        }
    }

    private static SessionEvent ToEvent(Received received) => received.Kind switch
    {
        ReceivedKind.Text => new FrameReceived(received.Payload),
        ReceivedKind.Binary => new SocketEnded(CloseReason.Unsupported),
        ReceivedKind.ProtocolError => new SocketEnded(CloseReason.Protocol),
        // Echo the client's close; "no status" (1005) may not be sent back, so answer 1000.
        ReceivedKind.Close => new SocketEnded(new CloseReason(
            received.CloseCode == 1005 ? WebSocketCloseStatus.NormalClosure : (WebSocketCloseStatus)received.CloseCode,
            received.CloseReason ?? string.Empty)),
        _ => new SocketEnded(null),
    };

    private async Task EndAsync(CloseReason? close, Task receive)
    {
        _keepAlive.Dispose();
        if (close is { } reason)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_context.Options.CloseTimeout, _context.Time);
                await _context.Socket.SendCloseAsync((ushort)reason.Status, reason.Description, timeout.Token);

                // Give the client a moment to answer the close before the connection goes.
                await receive.WaitAsync(_context.Options.CloseTimeout, _context.Time);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException)
            {
                // The peer is gone or silent.
            }
        }

        await _context.StopAsync();
        await receive;
        _inbox.Complete();
        _context.Dispose();
        if (_identified)
        {
            _delivery.HandOverAcks();
        }

        _grain.Detach(_identified);
    }
}
