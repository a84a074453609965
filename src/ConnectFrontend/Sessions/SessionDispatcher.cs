using Push.ConnectFrontend.Protocol;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// Runs the client's commands for one session, on the session's loop. Each command answers with the
/// reason to close, or null to go on. Replies are built before any wait, so a command's input is not
/// held while its reply waits for a slow client.
/// </summary>
internal sealed class SessionDispatcher(SessionContext context, GrainLink grain, SessionDelivery delivery)
{
    private static readonly HashSet<string> NoBroadcasts = [];
    private HashSet<string>? _subscribedBroadcasts;
    private readonly CommandRateLimiter _commands = new(context.Options.Settings.CommandRatePerMinute, context.Options.Settings.CommandRateBurst, context.Time);
    private long _broadcastsSeen;
    private long _lastPingTimestamp;

    /// <summary>Parses and runs one frame after hello. Not async: the frame's bytes and the parsed message are let go before any wait.</summary>
    public ValueTask<CloseReason?> DispatchAsync(ReadOnlyMemory<byte> frame)
    {
        if (!ClientMessageParser.TryParse(frame, out var message))
        {
            return Close(CloseReason.Json);
        }

        if (message is RegisterMessage or UnregisterMessage && !_commands.TryTake())
        {
            return Close(CloseReason.TooManyCommands);
        }

        return message switch
        {
            HelloMessage => Close(CloseReason.StateMachine),
            RegisterMessage register => RegisterAsync(register.ChannelId, register.Key),
            UnregisterMessage unregister => UnregisterAsync(unregister.ChannelId),
            AckMessage ack => delivery.AckAsync(ack.Updates.Select(u => u.Version)),
            NackMessage => Nack(),
            PingMessage => PingAsync(),
            BroadcastSubscribeMessage subscribe => SendAsync(BroadcastReply(subscribe)),
            UrgencyMessage urgency => delivery.SetUrgencyAsync(urgency.Minimum),
            _ => Close(CloseReason.Json),
        };
    }

    /// <summary>Parses the first frame: it must be a hello.</summary>
    public ValueTask<CloseReason?> HandshakeAsync(ReadOnlyMemory<byte> frame)
    {
        if (!ClientMessageParser.TryParse(frame, out var message))
        {
            return Close(CloseReason.Json);
        }

        return message is HelloMessage hello ? HelloAsync(hello.Uaid, hello.Broadcasts) : Close(CloseReason.StateMachine);
    }

    private async ValueTask<CloseReason?> HelloAsync(string? offeredUaid, IReadOnlyDictionary<string, string> requestedBroadcasts)
    {
        if (await grain.HelloAsync(offeredUaid) is not var (existing, stored))
        {
            return CloseReason.Internal;
        }

        context.Stats.ExistingUaid = existing;
        context.Metrics.Hello(existing ? "existing" : Uaid.TryParse(offeredUaid, out _) ? "reassigned" : "new");
        var broadcasts = context.Broadcasts.Subscribe(requestedBroadcasts);
        Follow(broadcasts.Subscribed);
        _broadcastsSeen = broadcasts.ChangeCount;
        await context.SendAsync(ServerMessages.Hello(grain.Uaid, broadcasts.Changed, broadcasts.Errors));
        if (existing && stored > 0)
        {
            await delivery.DrainAsync(fromStart: true);
        }

        return null;
    }

    private async ValueTask<CloseReason?> RegisterAsync(string channelText, string? key)
    {
        if (!ChannelIds.TryParseStrict(channelText, out var channelId))
        {
            return CloseReason.StateMachine;
        }

        if (!EndpointToken.TryHashKey(key, out var keyHash))
        {
            await context.SendAsync(ServerMessages.Register(channelText, 400, "Failed to generate endpoint"));
            return null;
        }

        var added = await grain.RegisterAsync(channelId);
        if (added is not ChannelAdded.Added)
        {
            // Beyond max_channels: the reference has no channel limit; 400 is its register status for a
            // request it refuses. Unreachable grain: 500.
            await context.SendAsync(ServerMessages.Register(channelText, added is ChannelAdded.LimitReached ? 400 : 500, string.Empty));
            return null;
        }

        var endpoint = EndpointUrl.Mint(context.Options.Settings.CryptoKeys, context.Options.EndpointBaseUrl, grain.Uaid, channelId, keyHash);
        context.Stats.Registers++;
        context.Metrics.Registered();
        await context.SendAsync(ServerMessages.Register(channelText, 200, endpoint));
        return null;
    }

    private async ValueTask<CloseReason?> UnregisterAsync(Guid channelId)
    {
        var done = await grain.UnregisterAsync(channelId);
        if (done)
        {
            context.Stats.Unregisters++;
            context.Metrics.Unregistered();
        }

        await context.SendAsync(ServerMessages.Unregister(channelId, done ? 200 : 500));
        return null;
    }

    private ValueTask<CloseReason?> Nack()
    {
        context.Stats.Nacks++;
        return ValueTask.FromResult<CloseReason?>(null);
    }

    private ValueTask<CloseReason?> PingAsync()
    {
        var now = context.Time.GetTimestamp();
        if (_lastPingTimestamp != 0 && context.Time.GetElapsedTime(_lastPingTimestamp, now) < context.Options.MinPingInterval)
        {
            return Close(CloseReason.StateMachine);
        }

        _lastPingTimestamp = now;
        return SendAsync(ServerMessages.PingReply);
    }

    /// <summary>Pending changes of what the client already follows, plus the newly requested ones (empty: no reply).</summary>
    private ServerMessage BroadcastReply(BroadcastSubscribeMessage subscribe)
    {
        var (pending, _) = context.Broadcasts.ChangesSince(_broadcastsSeen, _subscribedBroadcasts ?? NoBroadcasts);
        var added = context.Broadcasts.Subscribe(subscribe.Broadcasts);
        Follow(added.Subscribed);
        _broadcastsSeen = added.ChangeCount;
        foreach (var (id, version) in added.Changed)
        {
            pending[id] = version;
        }

        return pending.Count > 0 || added.Errors.Count > 0 ? ServerMessages.Broadcast(pending, added.Errors) : ServerMessage.None;
    }

    /// <summary>
    /// At a keep-alive tick: changed broadcasts the client follows are sent in place of a ping. True when
    /// they were, so no ping is due.
    /// </summary>
    public async ValueTask<bool> SendChangedBroadcastsAsync()
    {
        if (!context.Broadcasts.Enabled)
        {
            return false;
        }

        var (changed, count) = context.Broadcasts.ChangesSince(_broadcastsSeen, _subscribedBroadcasts ?? NoBroadcasts);
        _broadcastsSeen = count;
        if (changed.Count == 0)
        {
            return false;
        }

        await context.SendAsync(ServerMessages.Broadcast(changed, new Dictionary<string, string>()));
        return true;
    }

    /// <summary>Adds broadcasts the client follows (the set is made with the first).</summary>
    private void Follow(IReadOnlyCollection<string> broadcasts)
    {
        if (broadcasts.Count > 0)
        {
            (_subscribedBroadcasts ??= new(StringComparer.Ordinal)).UnionWith(broadcasts);
        }
    }

    private async ValueTask<CloseReason?> SendAsync(ServerMessage reply)
    {
        if (!reply.IsEmpty)
        {
            await context.SendAsync(reply);
        }

        return null;
    }

    private static ValueTask<CloseReason?> Close(CloseReason reason) => ValueTask.FromResult<CloseReason?>(reason);
}
