using Orleans.Concurrency;
using Push.Grains.Messages;

namespace Push.Grains.Observers;

/// <summary>
/// The live WebSocket session of one user, as seen by its <see cref="IClientGrain"/>.
/// Every method is one-way: a dead or slow frontend can never hold up the grain, and nothing
/// depends on these calls arriving, because stored messages are fetched again by the session.
/// </summary>
[Alias("Push.IClientObserver")]
public interface IClientObserver : IGrainObserver
{
    /// <summary>A new message for the client (stored already when its TTL is above 0).</summary>
    [OneWay, Alias("Deliver")]
    Task DeliverAsync(Notification notification);

    /// <summary>The session must close.</summary>
    [OneWay, Alias("Disconnect")]
    Task DisconnectAsync(DisconnectReason reason);
}
