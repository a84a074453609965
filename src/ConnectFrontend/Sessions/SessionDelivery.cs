using Push.ConnectFrontend.Protocol;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// Moves messages from the user's grain to the client for one session: live deliveries, drains of the
/// stored queue, acks and renewals. What to send is decided by the <see cref="DeliveryWindow"/>.
/// </summary>
internal sealed class SessionDelivery(SessionContext context, GrainLink grain, DeliveryWindow window)
{
    public async ValueTask OnDeliveredAsync(Notification notification)
    {
        var decision = window.OfferLive(notification);
        if (decision == LiveDelivery.Skip)
        {
            return;
        }

        context.Stats.Direct++;
        await context.SendAsync(ServerMessages.Notification(notification));
        context.Metrics.Delivered(live: true, notification.SortKey);
    }

    /// <summary>
    /// Sends stored messages the client has not been sent in this session, oldest first, keeping at most
    /// <c>client_channel_capacity</c> unacknowledged; the rest stays stored until acks make room.
    /// </summary>
    public async ValueTask DrainAsync(bool fromStart)
    {
        window.BeginDrain(fromStart);
        while (window.HasRoom)
        {
            if (await grain.FetchAsync(window.Cursor, window.Capacity) is not { } batch)
            {
                window.DrainFailed();
                return;
            }

            foreach (var notification in batch)
            {
                if (!window.OfferStored(notification))
                {
                    continue;
                }

                context.Stats.Stored++;
                await context.SendAsync(ServerMessages.Notification(notification));
                context.Metrics.Delivered(live: false, notification.SortKey);
                if (!window.HasRoom)
                {
                    window.EndDrain(complete: false);
                    return;
                }
            }

            // Only an empty batch means the end: the grain leaves out messages that expired meanwhile,
            // so a short batch can still have more behind it.
            if (batch.Count == 0)
            {
                window.EndDrain(complete: true);
                return;
            }
        }

        window.EndDrain(complete: false);
    }

    /// <summary>Takes the client's acks now; the store is told, and the drain resumed, by the returned task.</summary>
    public ValueTask<CloseReason?> AckAsync(IEnumerable<string> versions)
    {
        var count = window.Ack(versions);
        if (count > 0)
        {
            context.Stats.Acked += count;
            context.Metrics.Acked(count);
        }

        return AfterAckAsync(count > 0);
    }

    /// <summary>Sets the client's minimum urgency; held-back messages it now lets through are sent.</summary>
    public async ValueTask<CloseReason?> SetUrgencyAsync(Urgency? minimum)
    {
        if (minimum is not { } value)
        {
            await context.SendAsync(ServerMessages.Urgency(400));
            return null;
        }

        var redrain = window.SetMinimumUrgency(value);
        await context.SendAsync(ServerMessages.Urgency(200));
        if (redrain)
        {
            await DrainAsync(fromStart: true);
        }

        return null;
    }

    /// <summary>
    /// Confirms the observer with the grain (flushing acks first), and drains when the store holds more
    /// than was sent. Returns <see cref="CloseReason.Superseded"/> when a newer session took over.
    /// </summary>
    public async ValueTask<CloseReason?> RenewAsync()
    {
        await FlushAcksAsync();
        if (await grain.RenewAsync() is not { } result)
        {
            return null;
        }

        if (result.Superseded)
        {
            return CloseReason.Superseded;
        }

        if (window.StoreHasMore(result.StoredCount))
        {
            await DrainAsync(fromStart: true);
        }

        return null;
    }

    /// <summary>
    /// At the session's end: acks the store has not taken (a flush failed) go to the frontend's retries
    /// instead of being lost with the session, so their messages do not come again at the next connection.
    /// </summary>
    public void HandOverAcks()
    {
        if (window.PendingAcks.Count > 0)
        {
            grain.AckLater([.. window.PendingAcks]);
            window.AcksFlushed();
        }
    }

    private async ValueTask<CloseReason?> AfterAckAsync(bool acked)
    {
        if (acked)
        {
            await FlushAcksAsync();
        }

        if (window.ShouldContinueDrain)
        {
            await DrainAsync(fromStart: false);
        }

        return null;
    }

    /// <summary>
    /// Removes acknowledged messages from the store. An ack the grain did not take (its silo was just lost)
    /// is kept and sent again at the next renewal, or by the frontend once the session ended (<see cref="HandOverAcks"/>);
    /// until then the message is not sent to the client again.
    /// </summary>
    private async ValueTask FlushAcksAsync()
    {
        if (window.PendingAcks.Count > 0 && await grain.AckAsync(window.PendingAcks))
        {
            window.AcksFlushed();
        }
    }
}
