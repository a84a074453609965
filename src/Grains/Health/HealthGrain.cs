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
        catch (StoreUnavailableException e)
        {
            return new StoreHealth(false, e.Message);
        }
    }
}
