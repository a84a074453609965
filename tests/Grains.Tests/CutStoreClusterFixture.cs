using Push.Testing;
using StackExchange.Redis;

namespace Push.Grains.Tests;

/// <summary>
/// A cluster like <see cref="ClusterFixture"/> whose silo reaches the store through a
/// <see cref="TcpCutProxy"/>, so a test can lose the reply of a write the store applied.
/// <see cref="ClusterFixture.Redis"/> still reaches the store directly.
/// </summary>
public sealed class CutStoreClusterFixture : ClusterFixture
{
    private TcpCutProxy? _proxy;

    public TcpCutProxy Proxy => _proxy!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    protected override ConfigurationOptions SiloStoreOptions(ConfigurationOptions store)
    {
        _proxy = TcpCutProxy.Start(store.EndPoints.Single());
        var routed = store.Clone();
        routed.EndPoints.Clear();
        routed.EndPoints.Add(System.Net.IPAddress.Loopback, _proxy.Port);
        return routed;
    }
}

[CollectionDefinition(Name)]
public sealed class CutStoreClusterCollection : ICollectionFixture<CutStoreClusterFixture>
{
    public const string Name = "cluster with a cuttable store link";
}
