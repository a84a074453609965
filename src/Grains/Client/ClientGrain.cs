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
    StoreStatus status,
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
