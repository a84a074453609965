using Push.Grains.Messages;

namespace Push.Grains.Tests.Acks;

[Collection(ClusterCollection.Name)]
public sealed class AckGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AckAsync_BatchOfUsers_RemovesExactlyTheAckedMessages()
    {
        var (alice, aliceChannel) = await NewUserAsync();
        var (bob, bobChannel) = await NewUserAsync();
        var aliceFirst = TestNotifications.Make(aliceChannel);
        var aliceSecond = TestNotifications.Make(aliceChannel);
        var bobOnly = TestNotifications.Make(bobChannel);
        foreach (var (user, message) in new[] { (alice, aliceFirst), (alice, aliceSecond), (bob, bobOnly) })
        {
            Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(message));
        }

        await fixture.Grains.GetGrain<IAckGrain>(0).AckAsync(
            [new UserAcks(alice.GetPrimaryKey(), [aliceFirst.Ref]), new UserAcks(bob.GetPrimaryKey(), [bobOnly.Ref])]);

        Assert.Equal([aliceSecond.Version], (await alice.FetchAsync(0, 10)).Select(n => n.Version));
        Assert.Empty(await bob.FetchAsync(0, 10));
    }

    [Fact]
    public async Task AckAsync_TopicMessage_IsRefusedAndKept()
    {
        var (user, channel) = await NewUserAsync();
        var topical = TestNotifications.Make(channel, topic: "news");
        await user.DeliverAsync(topical);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Grains.GetGrain<IAckGrain>(0).AckAsync([new UserAcks(user.GetPrimaryKey(), [topical.Ref])]));

        Assert.Single(await user.FetchAsync(0, 10));
    }

    private async Task<(IClientGrain User, Guid Channel)> NewUserAsync()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        return (user, channel);
    }
}
