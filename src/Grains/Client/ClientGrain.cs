using Orleans.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Push.Grains.Messages;
using Push.Grains.Metrics;
using Push.Grains.Observers;
using Push.Grains.Storage;

namespace Push.Grains.Client;

/// <summary>
/// One user agent. Calls into it are serialised, so its queue operations never race; it never calls
/// another grain, so nothing can deadlock on it; and it never awaits its session's observer.
/// Placed on the silo the activating call came through: the node holding the socket when the
/// frontends are co-hosted, and in split mode whichever gateway the frontend used, so a silo that
/// just joined takes new users as soon as frontends learn of it.
/// </summary>
[PreferLocalPlacement]
internal sealed partial class ClientGrain(
    [PersistentState("client", ClientGrain.StorageName)] IPersistentState<ClientState> state,
    IMessageStore store,
    IStoreCommit commit,
    IOptions<ClientGrainOptions> options,
    GrainMetrics metrics,
    TimeProvider time,
    ILogger<ClientGrain> logger) : Grain, IClientGrain
{
    /// <summary>The grain storage of user records; its entries expire after <see cref="ClientGrainOptions.UserExpiry"/>.</summary>
    public const string StorageName = "clients";

    private static readonly TimeSpan TouchInterval = TimeSpan.FromDays(1);
    private readonly ClientGrainOptions _options = options.Value;
    private Guid? _sessionId;
    private IClientObserver? _observer;
    private DateTimeOffset _renewedAt;
    private HashSet<Guid> _channels = [];

    private Guid Uaid => this.GetPrimaryKey();

    private IClientObserver? LiveObserver =>
        _observer is not null && time.GetUtcNow() - _renewedAt < _options.ObserverExpiry ? _observer : null;

    public async Task<HelloResult> HelloAsync(Guid sessionId, IClientObserver observer, bool newUser)
    {
        if (!newUser && !state.State.Exists)
        {
            return new HelloResult(Known: false, StoredCount: 0);
        }

        if (_observer is { } previous && _sessionId != sessionId)
        {
            // One-way: the older session (on any frontend) closes itself.
            _ = previous.DisconnectAsync(DisconnectReason.Ghosted);
        }

        Attach(sessionId, observer);
        await TouchAsync();
        var count = state.State.Exists ? await store.CountAsync(Uaid) : 0;
        return new HelloResult(Known: true, StoredCount: count);
    }

    public async Task<RenewResult> RenewAsync(Guid sessionId, IClientObserver observer)
    {
        if (_sessionId is { } current && current != sessionId && LiveObserver is not null)
        {
            return new RenewResult(Superseded: true, StoredCount: 0);
        }

        // Also re-attaches after this activation was lost with its silo and came back empty.
        Attach(sessionId, observer);
        await TouchAsync();
        var count = state.State.Exists ? await store.CountAsync(Uaid) : 0;
        return new RenewResult(Superseded: false, StoredCount: count);
    }

    public Task SessionEndedAsync(Guid sessionId)
    {
        if (_sessionId == sessionId)
        {
            _sessionId = null;
            _observer = null;
        }

        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.Exists)
        {
            return;
        }

        _channels = [.. await store.LoadChannelsAsync(Uaid)];
        if (state.State.Channels.Count > 0)
        {
            // A record of an older version: move its channels into the store's set, then drop them
            // from the record. A crash in between only repeats the (idempotent) move.
            await store.AddChannelsAsync(Uaid, state.State.Channels, _options.UserExpiry);
            _channels.UnionWith(state.State.Channels);
            state.State.Channels = [];
            await state.WriteStateAsync(cancellationToken);
            await commit.WaitAsync();
        }
    }

    public async Task<ChannelAdded> AddChannelAsync(Guid channelId)
    {
        if (state.State.Exists && _channels.Contains(channelId))
        {
            return ChannelAdded.Added;
        }

        if (_channels.Count >= _options.ChannelLimit)
        {
            return ChannelAdded.LimitReached;
        }

        if (!state.State.Exists)
        {
            state.State.Exists = true;
            state.State.CreatedAt = time.GetUtcNow();
            state.State.LastSeen = state.State.CreatedAt;
            await WriteOrDeactivateAsync(WriteRecordAsync, () => state.State.Exists = false);
        }

        // One hash entry, not the whole set: n registers write O(n) bytes, not O(n²).
        await WriteOrDeactivateAsync(() => store.AddChannelsAsync(Uaid, [channelId], _options.UserExpiry));
        await TouchAsync();
        _channels.Add(channelId);
        return ChannelAdded.Added;
    }

    public async Task RemoveChannelAsync(Guid channelId)
    {
        // An id the user does not have touches neither the record nor the queue.
        if (!_channels.Contains(channelId))
        {
            return;
        }

        await WriteOrDeactivateAsync(() => store.RemoveChannelAsync(Uaid, channelId));
        _channels.Remove(channelId);
    }

    public Task<bool> HasChannelAsync(Guid channelId) =>
        Task.FromResult(state.State.Exists && _channels.Contains(channelId));

    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Exists);

    public Task<IReadOnlyList<Guid>> GetChannelsAsync() =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _channels]);

    public async Task<DeliveryStatus> DeliverAsync(Notification notification)
    {
        if (!state.State.Exists || !_channels.Contains(notification.ChannelId))
        {
            return DeliveryStatus.NoSubscription;
        }

        if (notification.Ttl > 0)
        {
            StoreResult result;
            try
            {
                result = await store.SaveAsync(Uaid, notification, _options.MessageLimit);
            }
            catch (StoreUnavailableException e)
            {
                LogStoreUnavailable(e);
                return DeliveryStatus.StoreUnavailable;
            }

            if (result.Conflict)
            {
                return DeliveryStatus.Conflict;
            }

            metrics.Stored();
            if (result.EvictionFailure is { } failure)
            {
                LogEvictionFailed(failure);
            }

            if (result.Evicted > 0)
            {
                metrics.Evicted(result.Evicted);
                LogEvicted(result.Evicted, _options.MessageLimit);
            }
        }

        // One-way and not awaited: a dead frontend cannot slow a push down. The message is stored,
        // so a session that misses this call still gets it from the queue.
        _ = LiveObserver?.DeliverAsync(notification);
        return DeliveryStatus.Accepted;
    }

    public async Task<IReadOnlyList<Notification>> FetchAsync(long afterSortKey, int limit)
    {
        if (!state.State.Exists)
        {
            return [];
        }

        var batch = Math.Clamp(limit, 1, _options.MaxFetchBatch);
        while (true)
        {
            var fetched = await store.FetchAsync(Uaid, afterSortKey, batch, time.GetUtcNow().ToUnixTimeSeconds());
            if (fetched.Expired > 0)
            {
                metrics.Expired(fetched.Expired);
            }

            // An empty answer must mean "nothing more": a batch that held only expired messages (now
            // removed) is fetched again, so live messages behind them are not mistaken for absent.
            if (fetched.Messages.Count > 0 || fetched.Expired == 0)
            {
                return fetched.Messages;
            }
        }
    }

    public Task AckAsync(IReadOnlyList<AckedMessage> messages) =>
        messages.Count == 0 ? Task.CompletedTask : store.RemoveAckedAsync(Uaid, messages);

    public Task DeleteMessageAsync(MessageRef message) => store.RemoveAsync(Uaid, message);

    public async Task DropAsync()
    {
        await store.DeleteAllAsync(Uaid);
        await state.ClearStateAsync();
        await commit.WaitAsync();
        state.State = new ClientState();
        _channels = [];
        if (_observer is { } observer)
        {
            _ = observer.DisconnectAsync(DisconnectReason.Ghosted);
        }

        _observer = null;
        _sessionId = null;
    }

    /// <summary>
    /// Writes the record or channel set; memory changes only once that succeeded (or <paramref name="undo"/>
    /// puts it back). A failed write may still have been applied (the reply was lost), and the record's
    /// version tag may no longer match: the activation goes, so the next call reads the store again.
    /// </summary>
    private async Task WriteOrDeactivateAsync(Func<Task> write, Action? undo = null)
    {
        try
        {
            await write();
        }
        catch
        {
            undo?.Invoke();
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task WriteRecordAsync()
    {
        await state.WriteStateAsync();
        await commit.WaitAsync();
    }

    /// <summary>
    /// Pushes back the expiry of the user's record and channel set, at most once a day: a user who comes
    /// back keeps everything, one who never does is gone <see cref="ClientGrainOptions.UserExpiry"/> later.
    /// </summary>
    private async Task TouchAsync()
    {
        var now = time.GetUtcNow();
        if (!state.State.Exists || now - state.State.LastSeen < TouchInterval)
        {
            return;
        }

        var previous = state.State.LastSeen;
        state.State.LastSeen = now;
        try
        {
            await WriteOrDeactivateAsync(WriteRecordAsync, () => state.State.LastSeen = previous);
            await store.ExpireChannelsAsync(Uaid, _options.UserExpiry);
        }
        catch (Exception e)
        {
            // The user is still far from expiring: the next hello or renew tries again.
            LogTouchFailed(e);
        }
    }

    private void Attach(Guid sessionId, IClientObserver observer)
    {
        _sessionId = sessionId;
        _observer = observer;
        _renewedAt = time.GetUtcNow();
    }
}
