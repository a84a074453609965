using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Hosting;
using Orleans.TestingHost;
using Push.Silo.Store;
using Push.Testing;
using StackExchange.Redis;

namespace Push.Grains.Tests;

/// <summary>
/// An in-process Orleans cluster whose grain state and message queues live in a real Redis-protocol
/// store: the embedded Garnet in a temporary folder, or the Redis named by <c>PUSH_TEST_REDIS</c>.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const int MessageLimit = 5;
    private readonly TempDirectory _data = new();
    private EmbeddedGarnet? _garnet;
    private ConnectionMultiplexer? _redis;
    private ConnectionMultiplexer? _siloRedis;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The store the grains use, for checking what they wrote.</summary>
    public IConnectionMultiplexer Redis => _redis!;

    public async Task InitializeAsync()
    {
        ConfigurationOptions options;
        if (TestStore.RedisDsn is { } dsn)
        {
            Assert.True(RedisDsn.TryParse(dsn, out options, out var error), error);
        }
        else
        {
            _garnet = EmbeddedGarnet.Start(_data.Path, "64m", NullLoggerFactory.Instance);
            options = StoreConnection.FailFast(ConfigurationOptions.Parse(_garnet.ConnectionString));
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        var siloOptions = SiloStoreOptions(options);
        var redis = siloOptions == options ? _redis : _siloRedis = await ConnectionMultiplexer.ConnectAsync(siloOptions);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRedisGrainStorageAsDefault(o =>
            {
                o.ConfigurationOptions = options;
                o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
                o.DeleteStateOnClear = true;
            });
            silo.AddRedisGrainStorage("clients", o =>
            {
                o.ConfigurationOptions = options;
                o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
                o.DeleteStateOnClear = true;
                o.EntryExpiry = TimeSpan.FromDays(60);
            });
            silo.Services.AddSingleton<IConnectionMultiplexer>(redis);
            silo.Services.AddPushGrains(o =>
            {
                o.MessageLimit = MessageLimit;
                o.ObserverExpiry = TimeSpan.FromSeconds(30);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var redis in new[] { _siloRedis, _redis })
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }
        }

        _garnet?.Dispose();
        _data.Dispose();
    }

    /// <summary>How the silo reaches the store: directly, unless a fixture puts something in between.</summary>
    protected virtual ConfigurationOptions SiloStoreOptions(ConfigurationOptions store) => store;
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
