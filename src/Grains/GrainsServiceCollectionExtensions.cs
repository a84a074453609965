using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Push.Grains.Client;
using Push.Grains.Metrics;
using Push.Grains.Storage;

namespace Push.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the grains need besides Orleans itself: the message store (on the
    /// <see cref="StackExchange.Redis.IConnectionMultiplexer"/> the host registers) and the options.
    /// </summary>
    public static IServiceCollection AddPushGrains(this IServiceCollection services, Action<ClientGrainOptions>? configure = null)
    {
        var options = services.AddOptions<ClientGrainOptions>()
            .Validate(o => o.MessageLimit is >= 1 and <= 1_000_000, "msg_limit must be from 1 to 1000000")
            .Validate(o => o.ObserverExpiry > TimeSpan.Zero, "the observer expiry must be positive")
            .Validate(o => o.ChannelLimit >= 1, "the channel limit must be at least 1")
            .Validate(o => o.MaxFetchBatch >= 1, "the fetch batch must be at least 1")
            .Validate(o => o.SaveTimeout > TimeSpan.Zero, "the save timeout must be positive")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<MessageStoreOptions>();
        services.AddSingleton<StoreStatus>();
        services.AddSingleton<IMessageStore, RedisMessageStore>();
        services.TryAddSingleton<IStoreCommit, SyncedOnReply>();
        services.AddMetrics();
        services.AddSingleton<GrainMetrics>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
