using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Push.Grains.Client;
using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Tests.Client;

/// <summary>Subscriptions live in the user's grain: the endpoint's one call per push meets them there.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientGrainChannelTests(ClusterFixture fixture)
{
    [Fact]
    public async Task DeliverAsync_NeverRegistered_IsNoSubscription()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();

        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(chid)));
        Assert.False(await user.HasChannelAsync(chid));
        Assert.False(await user.ExistsAsync());
    }

    [Fact]
    public async Task AddChannelAsync_CreatesTheUserAndAcceptsPushes()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();

        await user.AddChannelAsync(chid);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(TestNotifications.Make(chid)));
        Assert.True(await user.HasChannelAsync(chid));
        Assert.Equal([chid], await user.GetChannelsAsync());
    }

    [Fact]
    public async Task DeliverAsync_OtherChannelOfTheUser_IsNoSubscription()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        await user.AddChannelAsync(Guid.NewGuid());

        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(Guid.NewGuid())));
    }

    [Fact]
    public async Task RemoveChannelAsync_RefusesLaterPushesAndDropsStoredOnes()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        await user.AddChannelAsync(chid);
        await user.DeliverAsync(TestNotifications.Make(chid));

        await user.RemoveChannelAsync(chid);

        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(chid)));
        Assert.Empty(await user.FetchAsync(0, 10));
    }

    [Fact]
    public async Task RemoveChannelAsync_UnknownChannel_KeepsTheOthersAndTheirMessages()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        await user.AddChannelAsync(chid);
        await user.DeliverAsync(TestNotifications.Make(chid));

        await user.RemoveChannelAsync(Guid.NewGuid());

        Assert.Equal([chid], await user.GetChannelsAsync());
        Assert.Single(await user.FetchAsync(0, 10));
    }

    [Fact]
    public async Task DeliverAsync_UserDropped_IsNoSubscription()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        await user.AddChannelAsync(chid);

        await user.DropAsync();

        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(chid)));
        Assert.False(await user.HasChannelAsync(chid));
    }

    [Fact]
    public async Task AddChannelAsync_SurvivesDeactivation()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        await user.AddChannelAsync(chid);

        await fixture.Cluster.DeactivateAsync(user);

        Assert.True(await user.HasChannelAsync(chid));
    }

    [Fact]
    public async Task AddChannelAsync_ManyChannels_EachIsOneEntryOfTheUsersSet()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var channels = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();

        foreach (var channel in channels)
        {
            await user.AddChannelAsync(channel);
        }

        var stored = await fixture.Redis.GetDatabase().HashKeysAsync(MessageKeys.Channels("push", uaid));
        Assert.Equal(channels.Select(c => c.ToString("D")).Order(), stored.Select(f => f.ToString()).Order());
    }

    [Fact]
    public async Task OnActivateAsync_RecordWithChannelsOfAnOlderVersion_MigratesThemToTheSet()
    {
        var uaid = Guid.NewGuid();
        var channel = Guid.NewGuid();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("clients");
        var grainId = GrainId.Create(GrainType.Create("client"), GrainIdKeyExtensions.CreateGuidKey(uaid));
        await storage.WriteStateAsync("client", grainId, new GrainState<ClientState>(new ClientState { Exists = true, Channels = [channel] }));
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(TestNotifications.Make(channel)));
        Assert.Equal([channel], await user.GetChannelsAsync());
        var stored = await fixture.Redis.GetDatabase().HashKeysAsync(MessageKeys.Channels("push", uaid));
        Assert.Equal(channel.ToString("D"), Assert.Single(stored).ToString());
    }

    [Fact]
    public async Task AddChannelAsync_NewUser_RecordAndChannelsExpireUnlessSeenAgain()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);

        await user.AddChannelAsync(Guid.NewGuid());

        var db = fixture.Redis.GetDatabase();
        var channelsTtl = await db.KeyTimeToLiveAsync(MessageKeys.Channels("push", uaid));
        Assert.NotNull(channelsTtl);
        Assert.InRange(channelsTtl.Value, TimeSpan.FromDays(59), TimeSpan.FromDays(60));
        var records = fixture.Redis.GetServers()[0].Keys(pattern: $"*{uaid:N}*").Where(k => !k.ToString().StartsWith("push:", StringComparison.Ordinal)).ToList();
        var record = Assert.Single(records);
        Assert.NotNull(await db.KeyTimeToLiveAsync(record));
    }
}
