using Orleans.Concurrency;
using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Health;

/// <summary>Pings the store from whichever silo takes the call.</summary>
[StatelessWorker]
internal sealed class HealthGrain(IMessageStore store) : Grain, IHealthGrain
{
    public async Task<StoreHealth> CheckAsync()
    {
        try
        {
            await store.PingAsync();
            return new StoreHealth(true, null);
        }
        catch (StoreUnavailableException)
        {
            // A fixed text: health routes are public, and the client's message can name store hosts.
            return new StoreHealth(false, "the message store did not answer");
        }
    }
}
