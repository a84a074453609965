using System.Diagnostics;
using Push.Grains.Messages;
using Push.Grains.Storage;
using Push.Testing;
using StackExchange.Redis;

namespace Push.Grains.Tests.Client;

/// <summary>
/// The store stalls while a push is being saved: a blocking command holds the grains' own store
/// connection, so the save is written but runs only when the stall ends. The push is refused within
/// a second, and its message, which does land, never reaches the client and is removed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientGrainStoreStallTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DeliverAsync_StoreStalls_RefusedWithinASecondAndNeverFetched()
    {
        var (uaid, user, channel) = await NewUserAsync();
        var refused = TestNotifications.Make(channel);
        var alsoRefused = TestNotifications.Make(channel);

        var stall = StallAsync();
        var clock = Stopwatch.StartNew();
        var first = await user.DeliverAsync(refused);
        var firstTook = clock.Elapsed;
        clock.Restart();
        var second = await user.DeliverAsync(alsoRefused);
        var secondTook = clock.Elapsed;
        await stall;

        Assert.Equal(DeliveryStatus.StoreUnavailable, first);
        Assert.True(firstTook < TimeSpan.FromSeconds(1), $"the push was answered after {firstTook.TotalMilliseconds:0} ms");
        // Known down: refused at once, without a write.
        Assert.Equal(DeliveryStatus.StoreUnavailable, second);
        Assert.True(secondTook < TimeSpan.FromMilliseconds(500), $"the second push was answered after {secondTook.TotalMilliseconds:0} ms");

        var accepted = TestNotifications.Make(channel);
        await Eventually.WaitAsync(() => user.DeliverAsync(accepted), s => s == DeliveryStatus.Accepted, Wait, "a push to be accepted after the stall");
        Assert.Equal([accepted.Version], (await user.FetchAsync(0, 100)).Select(n => n.Version));
        await Eventually.WaitAsync(() => QueueAsync(uaid), q => q.SetEquals([MessageKeys.Member(accepted.Ref)]), Wait, "the refused message to be removed from the store");
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(MessageKeys.Body("push", uaid, MessageKeys.Member(refused.Ref))));
    }

    [Fact]
    public async Task DeliverAsync_TopicRefusedInAStallThenSentAgain_TheNewVersionIsKept()
    {
        var (uaid, user, channel) = await NewUserAsync();
        var refused = TestNotifications.Make(channel, topic: "score");

        var stall = StallAsync();
        Assert.Equal(DeliveryStatus.StoreUnavailable, await user.DeliverAsync(refused));
        await stall;
        var again = TestNotifications.Make(channel, topic: "score");
        await Eventually.WaitAsync(() => user.DeliverAsync(again), s => s == DeliveryStatus.Accepted, Wait, "the topic push to be accepted after the stall");

        Assert.Equal([again.Version], (await user.FetchAsync(0, 100)).Select(n => n.Version));
        var body = await fixture.Redis.GetDatabase().StringGetAsync(MessageKeys.Body("push", uaid, MessageKeys.Member(again.Ref)));
        Assert.Contains(again.Version, body.ToString(), StringComparison.Ordinal);
    }

    private async Task<(Guid Uaid, IClientGrain User, Guid Channel)> NewUserAsync()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        return (uaid, user, channel);
    }

    /// <summary>Blocks the grains' store connection for <see cref="Stall"/>; every command sent meanwhile runs after it.</summary>
    private Task StallAsync()
    {
        var blocked = fixture.Redis.GetDatabase().ExecuteAsync("BLPOP", $"push-test:stall:{Guid.NewGuid():N}", (int)Stall.TotalSeconds);
        // The client may give up on the blocking command itself; the store holds the connection either way.
        return blocked.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task<HashSet<string>> QueueAsync(Guid uaid) =>
        [.. (await fixture.Redis.GetDatabase().SortedSetRangeByRankAsync(MessageKeys.Queue("push", uaid))).Select(m => m.ToString())];
}
