using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Client;

/// <summary>
/// The user's message queue: pushes saved and handed to the session, reads, acks and deletes. A push
/// is answered with what the store did within <see cref="ClientGrainOptions.SaveTimeout"/>, and one
/// that is not accepted never reaches the client later (<see cref="UnsettledMessages"/>).
/// </summary>
internal sealed partial class ClientGrain
{
    private static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(500);
    private readonly UnsettledMessages _unsettled = new();
    private IGrainTimer? _settleTimer;

    public async Task<DeliveryStatus> DeliverAsync(Notification notification)
    {
        if (!state.State.Exists || !_channels.Contains(notification.ChannelId))
        {
            return DeliveryStatus.NoSubscription;
        }

        if (notification.Ttl > 0)
        {
            if (!_unsettled.IsEmpty)
            {
                // Before this save: a late copy of a refused message with this topic goes, not this one.
                await SettleAsync(CancellationToken.None);
            }

            if (status.IsDown || _unsettled.IsFull)
            {
                // Refused before any write, so nothing of it can land later.
                return DeliveryStatus.StoreUnavailable;
            }

            StoreResult result;
            try
            {
                result = await SaveWithinTimeoutAsync(notification);
            }
            catch (Exception e) when (e is StoreUnavailableException or TimeoutException)
            {
                // The write may still have landed (its reply was lost, or is late). The push is refused,
                // so the message is hidden from now on and removed once the store answers again.
                LogStoreUnavailable(e);
                _unsettled.AddVersion(notification.Ref, notification.Version);
                ScheduleSettling();
                return DeliveryStatus.StoreUnavailable;
            }

            if (result.Conflict)
            {
                return DeliveryStatus.Conflict;
            }

            _unsettled.Replaced(notification.Ref);
            metrics.Stored(result.QueueLength);
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
            // removed) is fetched again, and one that held only hidden ones is read past.
            var visible = _unsettled.Visible(fetched.Messages);
            if (visible.Count > 0 || (fetched.Messages.Count == 0 && fetched.Expired == 0))
            {
                return visible;
            }

            if (fetched.Messages.Count > 0)
            {
                afterSortKey = fetched.Messages[^1].SortKey;
            }
        }
    }

    public async Task AckAsync(IReadOnlyList<AckedMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        try
        {
            await store.RemoveAckedAsync(Uaid, messages);
        }
        catch (StoreUnavailableException)
        {
            // Not forgotten: removed once the store answers (the session sends the ack again too).
            foreach (var message in messages)
            {
                _unsettled.AddVersion(message.Ref, message.Version);
            }

            ScheduleSettling();
            throw;
        }
    }

    public async Task DeleteMessageAsync(MessageRef message)
    {
        try
        {
            await store.RemoveAsync(Uaid, message);
        }
        catch (StoreUnavailableException)
        {
            // The sender is told 503; the delete still happens once the store answers.
            _unsettled.AddDelete(message);
            ScheduleSettling();
            throw;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A last try: once this activation is gone, what it hid could be delivered.
        if (!_unsettled.IsEmpty)
        {
            await SettleAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Saves within the push's time budget. A save still running after it is left to finish on its own:
    /// the push is refused either way, and its message hidden and removed.
    /// </summary>
    private async Task<StoreResult> SaveWithinTimeoutAsync(Notification notification)
    {
        var save = store.SaveAsync(Uaid, notification, _options.MessageLimit);
        try
        {
            return await save.WaitAsync(_options.SaveTimeout, time);
        }
        catch (TimeoutException e)
        {
            status.Failed(e);
            _ = save.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private void ScheduleSettling()
    {
        if (_unsettled.IsEmpty || _settleTimer is not null)
        {
            return;
        }

        // Keeps the activation alive: it alone knows what to hide until the store has removed it.
        _settleTimer = this.RegisterGrainTimer(SettleAsync, new GrainTimerCreationOptions(SettleInterval, SettleInterval) { KeepAlive = true });
    }

    /// <summary>Removes what is owed once the store answers; writes to one user's keys run in order, so this follows any late save.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        if (status.IsDown)
        {
            return;
        }

        try
        {
            if (_unsettled.Versions is { Count: > 0 } versions)
            {
                await store.RemoveAckedAsync(Uaid, versions);
                _unsettled.Settled(versions);
            }

            foreach (var delete in _unsettled.Deletes)
            {
                await store.RemoveAsync(Uaid, delete);
                _unsettled.Settled(delete);
            }
        }
        catch (StoreUnavailableException e)
        {
            LogSettleFailed(e);
            return;
        }

        if (_unsettled.IsEmpty)
        {
            _settleTimer?.Dispose();
            _settleTimer = null;
        }
    }
}
