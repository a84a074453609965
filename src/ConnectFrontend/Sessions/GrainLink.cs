using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Acks;
using Push.Grains;
using Push.Grains.Messages;
using Push.Grains.Observers;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// A session's link to its user's grain: every grain call the session makes, and the observer the grain
/// calls back. Observer calls arrive on the thread pool; they only queue an event or raise a signal for
/// the session's loop. A failed call is logged here and reported as a null or false result. The calls on
/// the delivery path (renew, fetch, ack) give up after <c>callTimeout</c>: one sent through a gateway that
/// just died gets no answer until Orleans' 10 s response timeout, and the session's loop must not wait
/// that long (they are all safe to repeat).
/// </summary>
internal sealed class GrainLink(IGrainFactory grains, AckBatcher acks, SessionInbox inbox, ILogger logger, TimeSpan callTimeout, TimeProvider time) : IClientObserver
{
    private IClientObserver? _reference;
    private IClientGrain? _grain;
    private bool _failed;

    public Guid SessionId { get; } = Guid.NewGuid();

    /// <summary>The user, once hello found or made one.</summary>
    public Guid Uaid
    {
        get;
        private set
        {
            field = value;
            _grain = grains.GetClientGrain(value);
        }
    }

    /// <summary>True once after a call failed: the grain (or its silo) may be gone, so renew soon.</summary>
    public bool TakeFailure()
    {
        var failed = _failed;
        _failed = false;
        return failed;
    }

    private IClientGrain Grain => _grain ?? throw new InvalidOperationException("No user before hello.");

    public Task DeliverAsync(Notification notification)
    {
        if (!inbox.TryPost(notification))
        {
            inbox.Raise(SessionSignals.MissedDelivery);
        }

        return Task.CompletedTask;
    }

    public Task DisconnectAsync(DisconnectReason reason)
    {
        inbox.Raise(SessionSignals.Superseded);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Attaches to the offered user when the grain knows it, otherwise to a new one (whose record is
    /// written at the first register). Null when the grain could not be reached.
    /// </summary>
    public async Task<(bool Existing, int StoredCount)?> HelloAsync(string? offeredUaid)
    {
        _reference = grains.CreateObjectReference<IClientObserver>(this);
        try
        {
            if (Push.Shared.Tokens.Uaid.TryParse(offeredUaid, out var offered))
            {
                var known = await grains.GetClientGrain(offered).HelloAsync(SessionId, _reference, newUser: false);
                if (known.Known)
                {
                    Uaid = offered;
                    return (true, known.StoredCount);
                }
            }

            Uaid = Guid.NewGuid();
            await Grain.HelloAsync(SessionId, _reference, newUser: true);
            return (false, 0);
        }
        catch (Exception e)
        {
            Failed("hello", e);
            return null;
        }
    }

    /// <summary>Adds the channel; null when the grain could not be reached.</summary>
    public async Task<ChannelAdded?> RegisterAsync(Guid channelId)
    {
        try
        {
            return await Grain.AddChannelAsync(channelId);
        }
        catch (Exception e)
        {
            Failed("register", e);
            return null;
        }
    }

    public Task<bool> UnregisterAsync(Guid channelId) =>
        TryAsync("unregister", () => Grain.RemoveChannelAsync(channelId));

    /// <summary>Removes acknowledged messages from the store (with other sessions' acks, through the frontend's batcher).</summary>
    public Task<bool> AckAsync(IReadOnlyCollection<AckedMessage> acked) =>
        TryAsync("ack", () => acks.AckAsync(Uaid, [.. acked]).WaitAsync(callTimeout, time));

    /// <summary>Hands acks the store has not taken to the frontend, which retries them after this session is gone.</summary>
    public void AckLater(IReadOnlyCollection<AckedMessage> acked) => acks.AckLater(Uaid, acked);

    /// <summary>Stored messages after <paramref name="afterSortKey"/>, oldest first; null when the grain could not be reached.</summary>
    public async Task<IReadOnlyList<Notification>?> FetchAsync(long afterSortKey, int limit)
    {
        try
        {
            return await Grain.FetchAsync(afterSortKey, limit).WaitAsync(callTimeout, time);
        }
        catch (Exception e)
        {
            Failed("fetch", e);
            return null;
        }
    }

    /// <summary>
    /// Confirms the observer with the grain. This re-activates a grain lost with its silo and attaches
    /// the observer again. Null when the grain could not be reached.
    /// </summary>
    public async Task<RenewResult?> RenewAsync()
    {
        try
        {
            return await Grain.RenewAsync(SessionId, _reference!).WaitAsync(callTimeout, time);
        }
        catch (Exception e)
        {
            Failed("renew", e);
            return null;
        }
    }

    /// <summary>Ends the link: the grain forgets the session (when hello got that far), then the observer goes.</summary>
    public void Detach(bool identified)
    {
        if (_reference is not { } reference)
        {
            return;
        }

        if (identified)
        {
            _ = ForgetSessionAsync(reference);
        }
        else
        {
            grains.DeleteObjectReference<IClientObserver>(reference);
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
            await Grain.SessionEndedAsync(SessionId);
        }
        catch (Exception e)
        {
            PushSession.LogGrainCallFailed(logger, "session end", e);
        }
        finally
        {
            grains.DeleteObjectReference<IClientObserver>(reference);
        }
    }

    private async Task<bool> TryAsync(string operation, Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (Exception e)
        {
            Failed(operation, e);
            return false;
        }
    }

    private void Failed(string operation, Exception exception)
    {
        _failed = true;
        PushSession.LogGrainCallFailed(logger, operation, exception);
    }
}
