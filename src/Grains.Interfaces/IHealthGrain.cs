using Push.Grains.Messages;

namespace Push.Grains;

/// <summary>Answers whether the cluster is reachable and the store answers; any silo can serve it.</summary>
[Alias("Push.IHealthGrain")]
public interface IHealthGrain : IGrainWithIntegerKey
{
    [Alias("Check")]
    Task<StoreHealth> CheckAsync();
}
