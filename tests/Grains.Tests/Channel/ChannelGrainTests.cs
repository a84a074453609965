using Push.Grains.Messages;

namespace Push.Grains.Tests.Channel;

[Collection(ClusterCollection.Name)]
public sealed class ChannelGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PushAsync_NeverRegistered_IsNoSubscription()
    {
        var channel = fixture.Grains.GetChannelGrain(Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal(DeliveryStatus.NoSubscription, await channel.PushAsync(TestNotifications.Make(Guid.NewGuid())));
        Assert.False(await channel.IsRegisteredAsync());
    }

    [Fact]
    public async Task RegisterAsync_CreatesTheUserAndAcceptsPushes()
    {
        var uaid = Guid.NewGuid();
        var chid = Guid.NewGuid();
        var channel = fixture.Grains.GetChannelGrain(uaid, chid);

        await channel.RegisterAsync(keyHash: null);

        Assert.Equal(DeliveryStatus.Accepted, await channel.PushAsync(TestNotifications.Make(chid)));
        Assert.Equal([chid], await fixture.Grains.GetGrain<IClientGrain>(uaid).GetChannelsAsync());
    }

    [Fact]
    public async Task UnregisterAsync_RefusesLaterPushesAndDropsStoredOnes()
    {
        var uaid = Guid.NewGuid();
        var chid = Guid.NewGuid();
        var channel = fixture.Grains.GetChannelGrain(uaid, chid);
        await channel.RegisterAsync(keyHash: null);
        await channel.PushAsync(TestNotifications.Make(chid));

        await channel.UnregisterAsync();

        Assert.Equal(DeliveryStatus.NoSubscription, await channel.PushAsync(TestNotifications.Make(chid)));
        Assert.Empty(await fixture.Grains.GetGrain<IClientGrain>(uaid).FetchAsync(0, 10));
    }

    [Fact]
    public async Task PushAsync_UserDropped_IsNoSubscriptionAndRemembered()
    {
        var uaid = Guid.NewGuid();
        var chid = Guid.NewGuid();
        var channel = fixture.Grains.GetChannelGrain(uaid, chid);
        await channel.RegisterAsync(keyHash: null);

        await fixture.Grains.GetGrain<IClientGrain>(uaid).DropAsync();

        Assert.Equal(DeliveryStatus.NoSubscription, await channel.PushAsync(TestNotifications.Make(chid)));
        Assert.False(await channel.IsRegisteredAsync());
    }

    [Fact]
    public async Task Registration_SurvivesDeactivation()
    {
        var uaid = Guid.NewGuid();
        var chid = Guid.NewGuid();
        var channel = fixture.Grains.GetChannelGrain(uaid, chid);
        await channel.RegisterAsync([1, 2, 3]);

        await fixture.Cluster.DeactivateAsync(channel);

        Assert.True(await channel.IsRegisteredAsync());
    }
}
