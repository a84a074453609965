using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Protocol;
using Push.ConnectFrontend.WebSockets;
using Push.Grains;
using Push.Grains.Messages;
using Push.Grains.Observers;
using Push.Shared.Crypto;
using Push.Shared.Logging;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// One WebSocket connection. A single loop handles every event in order (client frames, deliveries
/// from the grain, timers), so the session's state needs no locks and sends never overlap.
/// </summary>
internal sealed partial class PushSession : IClientObserver
{
    private readonly PushWebSocket _socket;
    private readonly IGrainFactory _grains;
    private readonly ConnectFrontendOptions _options;
    private readonly BroadcastTracker _broadcasts;
    private readonly ConnectMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<SessionEvent> _events;
    private readonly Dictionary<string, MessageRef> _unacked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribedBroadcasts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AckedMessage> _pendingAcks = new(StringComparer.Ordinal);
    private readonly RecentSet _recentlyAcked;
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource _sendTimeout = new();
    private readonly Guid _sessionId = Guid.NewGuid();
    private readonly int _window;
    private readonly SessionStats _stats = new();
    private IClientObserver? _reference;
    private Guid _uaid;
    private bool _identified;
    private long _cursor;
    private bool _drainIncomplete;
    private Urgency _minUrgency = Urgency.VeryLow;
    private long _lastPingTimestamp;
    private int _missedDelivery;
    private long _broadcastsSeen;

    public PushSession(PushWebSocket socket, IGrainFactory grains, ConnectFrontendOptions options, BroadcastTracker broadcasts, ConnectMetrics metrics, ILogger logger, string? userAgent)
    {
        _metrics = metrics;
        _socket = socket;
        _grains = grains;
        _options = options;
        _broadcasts = broadcasts;
        _logger = logger;
        _window = options.Settings.ClientChannelCapacity;
        _recentlyAcked = new RecentSet(2 * _window);
        _stats.UserAgent = userAgent ?? string.Empty;
        _events = Channel.CreateBounded<SessionEvent>(new BoundedChannelOptions(_window + 16)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private IClientGrain Grain => _grains.GetClientGrain(_uaid);

    public async Task RunAsync(CancellationToken shutdown)
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.Opened();
        var receive = ReceiveLoopAsync();
        CloseReason? close = null;
        try
        {
            close = await HandshakeAsync(shutdown);
            if (close is null && _identified)
            {
                _ = TickAsync(_options.RenewInterval, RenewDue.Instance);
                _ = TickAsync(_options.Settings.AutoPingInterval, PingDue.Instance);

                close = await EventLoopAsync(shutdown);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && !shutdown.IsCancellationRequested)
        {
            // The peer vanished or stopped reading mid-send; nothing more can be said to it.
            _socket.Abort();
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            close = CloseReason.ServerShutdown;
        }
        catch (Exception e)
        {
            LogSessionFailed(e);
            close = CloseReason.StateMachine;
        }
        finally
        {
            await EndAsync(close, receive);
            _metrics.Closed(close?.Label ?? "client");
            _stats.Log(_logger, _identified ? LogIds.Hash(_uaid) : string.Empty, close, Stopwatch.GetElapsedTime(started));
        }
    }

    // Observer calls arrive on the thread pool; they only queue an event for the loop.
    public Task DeliverAsync(Notification notification)
    {
        if (!_events.Writer.TryWrite(new Delivered(notification)))
        {
            Volatile.Write(ref _missedDelivery, 1);
        }

        return Task.CompletedTask;
    }

    public Task CheckStorageAsync()
    {
        if (!_events.Writer.TryWrite(StorageChanged.Instance))
        {
            Volatile.Write(ref _missedDelivery, 1);
        }

        return Task.CompletedTask;
    }

    public Task DisconnectAsync(DisconnectReason reason)
    {
        _ = _events.Writer.TryWrite(new Disconnected(reason));
        return Task.CompletedTask;
    }

    private async Task<CloseReason?> HandshakeAsync(CancellationToken shutdown)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        timeout.CancelAfter(_options.Settings.OpenHandshakeTimeout);
        SessionEvent first;
        try
        {
            first = await _events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
        {
            return CloseReason.HandshakeTimeout;
        }

        if (first is SocketEnded ended)
        {
            return ended.Reason ?? CloseReason.StreamClosed;
        }

        if (first is not FrameReceived frame)
        {
            return CloseReason.StateMachine;
        }

        if (!ClientMessageParser.TryParse(frame.Utf8, out var message))
        {
            return CloseReason.Json;
        }

        return message is HelloMessage hello ? await HelloAsync(hello) : CloseReason.StateMachine;
    }

    private async Task<CloseReason?> EventLoopAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _stop.Token);
        while (await _events.Reader.WaitToReadAsync(linked.Token))
        {
            while (_events.Reader.TryRead(out var next))
            {
                var (done, close) = await HandleAsync(next);
                if (done)
                {
                    return close;
                }
            }

            if (Interlocked.Exchange(ref _missedDelivery, 0) == 1)
            {
                // A delivery did not fit the queue; it is stored, so fetch it from the start.
                await DrainAsync(fromStart: true);
            }
        }

        return null;
    }

    private async Task<(bool Done, CloseReason? Close)> HandleAsync(SessionEvent next)
    {
        switch (next)
        {
            case FrameReceived frame:
                if (!ClientMessageParser.TryParse(frame.Utf8, out var message))
                {
                    return (true, CloseReason.Json);
                }

                var close = await DispatchAsync(message!);
                return (close is not null, close);
            case Delivered delivered:
                await OnDeliveredAsync(delivered.Notification);
                return (false, null);
            case StorageChanged:
                await DrainAsync(fromStart: false);
                return (false, null);
            case PingDue:
                await KeepAliveAsync();
                return (false, null);
            case PongDue due:
                return _socket.LastPongTimestamp >= due.PingSentTimestamp ? (false, null) : (true, CloseReason.PongTimeout);
            case RenewDue:
                return await RenewAsync() is { } superseded ? (true, superseded) : (false, null);
            case Disconnected:
                return (true, CloseReason.StateMachine);
            case SocketEnded ended:
                return (true, ended.Reason);
            default:
                return (false, null);
        }
    }

    private Task<CloseReason?> DispatchAsync(ClientMessage message) => message switch
    {
        HelloMessage => Task.FromResult<CloseReason?>(CloseReason.StateMachine),
        RegisterMessage register => RegisterAsync(register),
        UnregisterMessage unregister => UnregisterAsync(unregister),
        AckMessage ack => AckAsync(ack),
        NackMessage => Nack(),
        PingMessage => PingAsync(),
        BroadcastSubscribeMessage subscribe => BroadcastSubscribeAsync(subscribe),
        UrgencyMessage urgency => UrgencyAsync(urgency),
        _ => Task.FromResult<CloseReason?>(CloseReason.Json),
    };

    private async Task<CloseReason?> HelloAsync(HelloMessage hello)
    {
        _reference = _grains.CreateObjectReference<IClientObserver>(this);
        var existing = false;
        var stored = 0;
        try
        {
            if (Uaid.TryParse(hello.Uaid, out var offered))
            {
                var known = await _grains.GetClientGrain(offered).HelloAsync(_sessionId, _reference, newUser: false);
                if (known.Known)
                {
                    (_uaid, existing, stored) = (offered, true, known.StoredCount);
                }
            }

            if (!existing)
            {
                // Unknown or missing ids get a new one; the user record is written at the first register.
                _uaid = Guid.NewGuid();
                await Grain.HelloAsync(_sessionId, _reference, newUser: true);
            }
        }
        catch (Exception e)
        {
            LogGrainCallFailed("hello", e);
            return CloseReason.StateMachine;
        }

        _stats.ExistingUaid = existing;
        _metrics.Hello(existing ? "existing" : Uaid.TryParse(hello.Uaid, out _) ? "reassigned" : "new");
        var broadcasts = _broadcasts.Subscribe(hello.Broadcasts);
        _subscribedBroadcasts.UnionWith(broadcasts.Subscribed);
        _broadcastsSeen = broadcasts.ChangeCount;
        await SendAsync(ServerMessages.Hello(_uaid, broadcasts.Changed, broadcasts.Errors));
        _identified = true;
        if (existing && stored > 0)
        {
            await DrainAsync(fromStart: true);
        }

        return null;
    }

    private async Task<CloseReason?> RegisterAsync(RegisterMessage register)
    {
        if (!ChannelIds.TryParseStrict(register.ChannelId, out var channelId))
        {
            return CloseReason.StateMachine;
        }

        byte[]? keyHash = null;
        if (register.Key is not null)
        {
            if (!Base64Url.TryDecode(register.Key, out var rawKey))
            {
                await SendAsync(ServerMessages.Register(register.ChannelId, 400, "Failed to generate endpoint"));
                return null;
            }

            keyHash = EndpointToken.HashKey(rawKey);
        }

        ChannelAdded added;
        try
        {
            added = await Grain.AddChannelAsync(channelId);
        }
        catch (Exception e)
        {
            LogGrainCallFailed("register", e);
            await SendAsync(ServerMessages.Register(register.ChannelId, 500, string.Empty));
            return null;
        }

        if (added == ChannelAdded.LimitReached)
        {
            // The reference has no channel limit; 400 is its register status for a request it refuses.
            await SendAsync(ServerMessages.Register(register.ChannelId, 400, string.Empty));
            return null;
        }

        var token = EndpointToken.Create(_options.Settings.CryptoKeys, _uaid, channelId, keyHash);
        _stats.Registers++;
        _metrics.Registered();
        await SendAsync(ServerMessages.Register(register.ChannelId, 200, EndpointToken.Url(_options.EndpointBaseUrl, token, keyHash is not null)));
        return null;
    }

    private async Task<CloseReason?> UnregisterAsync(UnregisterMessage unregister)
    {
        var status = 200;
        try
        {
            await Grain.RemoveChannelAsync(unregister.ChannelId);
            _stats.Unregisters++;
            _metrics.Unregistered();
        }
        catch (Exception e)
        {
            LogGrainCallFailed("unregister", e);
            status = 500;
        }

        await SendAsync(ServerMessages.Unregister(unregister.ChannelId, status));
        return null;
    }

    private async Task<CloseReason?> AckAsync(AckMessage ack)
    {
        List<AckedMessage>? acked = null;
        foreach (var update in ack.Updates)
        {
            if (_unacked.Remove(update.Version, out var message))
            {
                (acked ??= []).Add(new AckedMessage(message, update.Version));
            }
        }

        if (acked is not null)
        {
            _stats.Acked += acked.Count;
            _metrics.Acked(acked.Count);
            foreach (var message in acked)
            {
                _pendingAcks[message.Version] = message;
                _recentlyAcked.Add(message.Version);
            }

            await FlushAcksAsync();
        }

        if (_drainIncomplete && _unacked.Count <= _window / 2)
        {
            await DrainAsync(fromStart: false);
        }

        return null;
    }

    /// <summary>
    /// Removes acknowledged messages from the store. An ack the grain did not take (its silo was just lost)
    /// is kept and sent again at the next renewal; until then the message is not sent to the client again.
    /// </summary>
    private async Task FlushAcksAsync()
    {
        if (_pendingAcks.Count == 0)
        {
            return;
        }

        try
        {
            await Grain.AckAsync([.. _pendingAcks.Values]);
            _pendingAcks.Clear();
        }
        catch (Exception e)
        {
            LogGrainCallFailed("ack", e);
        }
    }

    private Task<CloseReason?> Nack()
    {
        _stats.Nacks++;
        return Task.FromResult<CloseReason?>(null);
    }

    private async Task<CloseReason?> PingAsync()
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastPingTimestamp != 0 && Stopwatch.GetElapsedTime(_lastPingTimestamp, now) < _options.MinPingInterval)
        {
            return CloseReason.StateMachine;
        }

        _lastPingTimestamp = now;
        await SendAsync(ServerMessages.PingReply);
        return null;
    }

    private async Task<CloseReason?> BroadcastSubscribeAsync(BroadcastSubscribeMessage subscribe)
    {
        // Pending changes of what the client already follows, plus the newly requested ones.
        var (pending, _) = _broadcasts.ChangesSince(_broadcastsSeen, _subscribedBroadcasts);
        var added = _broadcasts.Subscribe(subscribe.Broadcasts);
        _subscribedBroadcasts.UnionWith(added.Subscribed);
        _broadcastsSeen = added.ChangeCount;
        foreach (var (id, version) in added.Changed)
        {
            pending[id] = version;
        }

        if (pending.Count > 0 || added.Errors.Count > 0)
        {
            await SendAsync(ServerMessages.Broadcast(pending, added.Errors));
        }

        return null;
    }

    private async Task<CloseReason?> UrgencyAsync(UrgencyMessage urgency)
    {
        if (urgency.Minimum is not { } minimum)
        {
            await SendAsync(ServerMessages.Urgency(400));
            return null;
        }

        var lowered = minimum < _minUrgency;
        _minUrgency = minimum;
        await SendAsync(ServerMessages.Urgency(200));
        if (lowered)
        {
            // Messages held back by the old minimum are stored; send them now.
            await DrainAsync(fromStart: true);
        }

        return null;
    }

    private async Task OnDeliveredAsync(Notification notification)
    {
        if (notification.Urgency < _minUrgency)
        {
            return;
        }

        if (notification.Ttl == 0)
        {
            // Never stored, so never tracked: it cannot be sent again.
            _stats.Direct++;
            await SendAsync(ServerMessages.Notification(notification));
            _metrics.Delivered(live: true, notification.SortKey);
            return;
        }

        if (_unacked.ContainsKey(notification.Version) || _recentlyAcked.Contains(notification.Version))
        {
            // Sent already (a late doorbell for a message a drain delivered): never twice.
            return;
        }

        if (_unacked.Count >= _window)
        {
            _drainIncomplete = true;
            return;
        }

        _unacked[notification.Version] = notification.Ref;
        _stats.Direct++;
        await SendAsync(ServerMessages.Notification(notification));
        _metrics.Delivered(live: true, notification.SortKey);
    }

    /// <summary>
    /// Sends stored messages the client has not been sent in this session, oldest first, keeping at most
    /// <c>client_channel_capacity</c> unacknowledged; the rest stays stored until acks make room.
    /// </summary>
    private async Task DrainAsync(bool fromStart)
    {
        if (fromStart)
        {
            _cursor = 0;
        }

        while (_unacked.Count < _window)
        {
            IReadOnlyList<Notification> batch;
            try
            {
                batch = await Grain.FetchAsync(_cursor, _window);
            }
            catch (Exception e)
            {
                LogGrainCallFailed("fetch", e);
                _drainIncomplete = true;
                return;
            }

            foreach (var notification in batch)
            {
                _cursor = Math.Max(_cursor, notification.SortKey);
                if (_unacked.ContainsKey(notification.Version) || _recentlyAcked.Contains(notification.Version) || notification.Urgency < _minUrgency)
                {
                    continue;
                }

                _unacked[notification.Version] = notification.Ref;
                _stats.Stored++;
                await SendAsync(ServerMessages.Notification(notification));
                _metrics.Delivered(live: false, notification.SortKey);
                if (_unacked.Count >= _window)
                {
                    _drainIncomplete = true;
                    return;
                }
            }

            // Only an empty batch means the end: the grain leaves out messages that expired meanwhile,
            // so a short batch can still have more behind it.
            if (batch.Count == 0)
            {
                _drainIncomplete = false;
                return;
            }
        }

        _drainIncomplete = true;
    }

    /// <summary>
    /// Every <c>auto_ping_interval</c>: changed broadcasts the client follows are sent in place of a ping;
    /// otherwise a WebSocket ping goes out and a pong must come back within <c>auto_ping_timeout</c>.
    /// </summary>
    private async Task KeepAliveAsync()
    {
        if (_broadcasts.Enabled)
        {
            var (changed, count) = _broadcasts.ChangesSince(_broadcastsSeen, _subscribedBroadcasts);
            _broadcastsSeen = count;
            if (changed.Count > 0)
            {
                await SendAsync(ServerMessages.Broadcast(changed, new Dictionary<string, string>()));
                return;
            }
        }

        var sent = Stopwatch.GetTimestamp();
        await _socket.SendPingAsync(SendTimeout());
        _ = PongDeadlineAsync(sent);
    }

    private async Task PongDeadlineAsync(long pingSentTimestamp)
    {
        try
        {
            await Task.Delay(_options.Settings.AutoPingTimeout, _stop.Token);
            _ = _events.Writer.TryWrite(new PongDue(pingSentTimestamp));
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
    }

    private async Task<CloseReason?> RenewAsync()
    {
        await FlushAcksAsync();
        RenewResult result;
        try
        {
            result = await Grain.RenewAsync(_sessionId, _reference!);
        }
        catch (Exception e)
        {
            LogGrainCallFailed("renew", e);
            return null;
        }

        if (result.Superseded)
        {
            return CloseReason.StateMachine;
        }

        if (result.StoredCount > _unacked.Count)
        {
            await DrainAsync(fromStart: true);
        }

        return null;
    }

    private async Task TickAsync(TimeSpan period, SessionEvent tick)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _ = _events.Writer.TryWrite(tick);
            }
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(_stop.Token);
                SessionEvent next = received.Kind switch
                {
                    ReceivedKind.Text => new FrameReceived(received.Payload),
                    ReceivedKind.Binary => new SocketEnded(CloseReason.Unsupported),
                    ReceivedKind.ProtocolError => new SocketEnded(CloseReason.Protocol),
                    // Echo the client's close; "no status" (1005) may not be sent back, so answer 1000.
                    ReceivedKind.Close => new SocketEnded(new CloseReason(
                        received.CloseCode == 1005 ? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure : (System.Net.WebSockets.WebSocketCloseStatus)received.CloseCode,
                        received.CloseReason ?? string.Empty)),
                    _ => new SocketEnded(null),
                };
                await _events.Writer.WriteAsync(next, _stop.Token);
                if (next is SocketEnded)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or IOException)
        {
            _ = _events.Writer.TryWrite(new SocketEnded(null));
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message) => await _socket.SendTextAsync(message, SendTimeout());

    /// <summary>A send that cannot finish in time means the client stopped reading: give up on it.</summary>
    private CancellationToken SendTimeout()
    {
        if (!_sendTimeout.TryReset())
        {
            _sendTimeout.Dispose();
            _sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        }

        _sendTimeout.CancelAfter(_options.SendTimeout);
        return _sendTimeout.Token;
    }

    private async Task EndAsync(CloseReason? close, Task receive)
    {
        if (close is { } reason)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                await _socket.SendCloseAsync((ushort)reason.Status, reason.Description, timeout.Token);

                // Give the client a moment to answer the close before the connection goes.
                await receive.WaitAsync(_options.CloseTimeout);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException)
            {
                // The peer is gone or silent.
            }
        }

        await _stop.CancelAsync();
        await receive;
        _events.Writer.TryComplete();
        _sendTimeout.Dispose();

        if (_reference is not null)
        {
            if (_identified)
            {
                _ = ForgetSessionAsync(_reference);
            }
            else
            {
                _grains.DeleteObjectReference<IClientObserver>(_reference);
            }
        }
    }

    /// <summary>
    /// Tells the grain the session is over, and only then retires the observer: a push that reaches
    /// the grain meanwhile finds an observer that ignores it (the message stays stored) instead of a
    /// deleted one, which Orleans reports as an error.
    /// </summary>
    private async Task ForgetSessionAsync(IClientObserver reference)
    {
        try
        {
            await Grain.SessionEndedAsync(_sessionId);
        }
        catch (Exception e)
        {
            LogGrainCallFailed("session end", e);
        }
        finally
        {
            _grains.DeleteObjectReference<IClientObserver>(reference);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call '{Operation}' failed")]
    private partial void LogGrainCallFailed(string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session failed")]
    private partial void LogSessionFailed(Exception exception);

    private abstract record SessionEvent;

    private sealed record FrameReceived(ReadOnlyMemory<byte> Utf8) : SessionEvent;

    /// <summary>The socket ended: with a reason to close with, or null when the peer simply went away.</summary>
    private sealed record SocketEnded(CloseReason? Reason) : SessionEvent;

    private sealed record Delivered(Notification Notification) : SessionEvent;

    private sealed record StorageChanged : SessionEvent
    {
        public static readonly StorageChanged Instance = new();
    }

    private sealed record RenewDue : SessionEvent
    {
        public static readonly RenewDue Instance = new();
    }

    private sealed record Disconnected(DisconnectReason Reason) : SessionEvent;

    private sealed record PingDue : SessionEvent
    {
        public static readonly PingDue Instance = new();
    }

    /// <summary>The pong for the ping sent at this timestamp is due.</summary>
    private sealed record PongDue(long PingSentTimestamp) : SessionEvent;
}
