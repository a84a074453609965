using Push.Grains.Messages;

namespace Push.Grains;

public static class HealthCheck
{
    /// <summary>
    /// Asks the cluster whether the store answers, within <paramref name="timeout"/>. A cluster that cannot
    /// be reached counts as unhealthy too; the cause says which.
    /// </summary>
    public static async Task<StoreHealth> CheckStoreAsync(this IGrainFactory grains, TimeSpan timeout)
    {
        try
        {
            return await grains.GetGrain<IHealthGrain>(0).CheckAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return new StoreHealth(false, "the cluster did not answer in time");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StoreHealth(false, "the cluster is unreachable: " + e.GetType().Name);
        }
    }
}
