using Orleans.Concurrency;
using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Health;

/// <summary>
/// Pings the store from whichever silo takes the call. A store this silo knows to be down is reported
/// at once, as pushes are refused at once: the health routes say what senders get.
/// </summary>
[StatelessWorker]
internal sealed class HealthGrain(IMessageStore store, StoreStatus status) : Grain, IHealthGrain
{
    // A fixed text: health routes are public, and the client's message can name store hosts.
    private static readonly StoreHealth Down = new(false, "the message store did not answer");

    public async Task<StoreHealth> CheckAsync()
    {
        if (status.IsDown)
        {
            return Down;
        }

        try
        {
            await store.PingAsync();
            return new StoreHealth(true, null);
        }
        catch (StoreUnavailableException)
        {
            return Down;
        }
    }
}
