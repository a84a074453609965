using Push.Grains.Messages;
using Push.Grains.Observers;
using Push.Testing;

namespace Push.Grains.Tests.Client;

[Collection(ClusterCollection.Name)]
public sealed class ClientGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IClientGrain NewUser(out Guid uaid)
    {
        uaid = Guid.NewGuid();
        return fixture.Grains.GetGrain<IClientGrain>(uaid);
    }

    [Fact]
    public async Task DeliverAsync_UnknownUser_IsNoSubscription()
    {
        var user = NewUser(out _);

        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(Guid.NewGuid())));
    }

    [Fact]
    public async Task DeliverAsync_RegisteredChannel_StoresOldestFirst()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var first = TestNotifications.Make(channel);
        var second = TestNotifications.Make(channel);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(second with { SortKey = first.SortKey + 10 }));
        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(first));

        var stored = await user.FetchAsync(0, 10);
        Assert.Equal([first.Version, second.Version], stored.Select(n => n.Version));
        Assert.Equal(first, stored[0]);
    }

    [Fact]
    public async Task DeliverAsync_TtlZero_IsNotStoredButReachesTheSession()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var observer = new RecordingObserver();
        var reference = fixture.Grains.CreateObjectReference<IClientObserver>(observer);
        await user.HelloAsync(Guid.NewGuid(), reference, newUser: false);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(TestNotifications.Make(channel, ttl: 0)));

        await Eventually.WaitAsync(() => observer.Delivered.Count == 1, Wait, "the live delivery");
        Assert.Empty(await user.FetchAsync(0, 10));
    }

    [Fact]
    public async Task DeliverAsync_SameTopic_ReplacesTheStoredMessage()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        await user.DeliverAsync(TestNotifications.Make(channel, topic: "Inbox", data: "Zmlyc3Q"));
        var newer = TestNotifications.Make(channel, topic: "Inbox", data: "c2Vjb25k");
        await user.DeliverAsync(newer);

        var stored = await user.FetchAsync(0, 10);

        Assert.Equal(newer.Version, Assert.Single(stored).Version);
    }

    [Fact]
    public async Task DeliverAsync_BeyondMessageLimit_EvictsOldestAndKeepsTheUser()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var sent = new List<Notification>();
        for (var i = 0; i < ClusterFixture.MessageLimit + 2; i++)
        {
            var n = TestNotifications.Make(channel);
            sent.Add(n);
            Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(n));
        }

        var stored = await user.FetchAsync(0, 100);

        Assert.Equal(sent.Skip(2).Select(n => n.Version), stored.Select(n => n.Version));
        Assert.Equal([channel], await user.GetChannelsAsync());
    }

    [Fact]
    public async Task DeliverAsync_FullQueueAndLowerSortKey_KeepsTheMessageJustAccepted()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var sent = new List<Notification>();
        for (var i = 0; i < ClusterFixture.MessageLimit; i++)
        {
            sent.Add(TestNotifications.Make(channel));
            await user.DeliverAsync(sent[^1]);
        }

        // Another endpoint process whose clock is behind mints a lower sort key.
        var late = TestNotifications.Make(channel) with { SortKey = sent[0].SortKey - 1_000_000 };
        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(late));

        var stored = await user.FetchAsync(0, 100);
        Assert.Contains(late.Version, stored.Select(n => n.Version));
        Assert.DoesNotContain(sent[0].Version, stored.Select(n => n.Version));
        Assert.Equal(ClusterFixture.MessageLimit, stored.Count);
    }

    [Fact]
    public async Task FetchAsync_ExpiredMessage_IsDroppedFromTheQueue()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var expired = TestNotifications.Make(channel, ttl: 1, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10);
        var live = TestNotifications.Make(channel);
        await user.DeliverAsync(expired);
        await user.DeliverAsync(live);

        Assert.Equal(live.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
        var renewed = await user.RenewAsync(Guid.NewGuid(), fixture.Grains.CreateObjectReference<IClientObserver>(new RecordingObserver()));
        Assert.Equal(1, renewed.StoredCount);
    }

    [Fact]
    public async Task FetchAsync_WholeBatchExpired_ReturnsTheLiveMessagesBehindIt()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        for (var i = 0; i < 3; i++)
        {
            await user.DeliverAsync(TestNotifications.Make(channel, ttl: 1, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10));
        }

        var live = TestNotifications.Make(channel);
        await user.DeliverAsync(live);

        // A batch of 3 holds only expired messages; an empty answer would tell the session "nothing more".
        Assert.Equal(live.Version, Assert.Single(await user.FetchAsync(0, 3)).Version);
    }

    [Fact]
    public async Task DeliverAsync_SameSortKeyTwice_SecondIsAConflictAndTheFirstStays()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var first = TestNotifications.Make(channel, data: "Zmlyc3Q");
        var clash = first with { Version = "v-other", Data = "b3RoZXI" };

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(first));
        Assert.Equal(DeliveryStatus.Conflict, await user.DeliverAsync(clash));

        var stored = Assert.Single(await user.FetchAsync(0, 10));
        Assert.Equal((first.Version, first.Data), (stored.Version, stored.Data));
    }

    [Fact]
    public async Task DeliverAsync_SameMessageAgain_IsAcceptedAndStoredOnce()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var message = TestNotifications.Make(channel);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(message));
        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(message));

        Assert.Equal(message.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
    }

    [Fact]
    public async Task DeliverAsync_SameTopicTwice_ReplacesTheStoredMessage()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);

        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(TestNotifications.Make(channel, topic: "t", data: "b2xk")));
        var newer = TestNotifications.Make(channel, topic: "t", data: "bmV3");
        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(newer));

        Assert.Equal(newer.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
    }

    [Fact]
    public async Task AckAsync_RemovesOnlyTheAckedMessages()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var a = TestNotifications.Make(channel);
        var b = TestNotifications.Make(channel);
        await user.DeliverAsync(a);
        await user.DeliverAsync(b);

        await user.AckAsync([new AckedMessage(a.Ref, a.Version)]);

        Assert.Equal(b.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
    }

    [Fact]
    public async Task AckAsync_TopicReplacedSinceSent_KeepsTheNewerMessage()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var old = TestNotifications.Make(channel, topic: "t");
        await user.DeliverAsync(old);
        var newer = TestNotifications.Make(channel, topic: "t");
        await user.DeliverAsync(newer);

        await user.AckAsync([new AckedMessage(old.Ref, old.Version)]);

        Assert.Equal(newer.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
    }

    [Fact]
    public async Task FetchAsync_AfterSortKey_Pages()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var messages = Enumerable.Range(0, 4).Select(_ => TestNotifications.Make(channel)).ToList();
        foreach (var m in messages)
        {
            await user.DeliverAsync(m);
        }

        var page = await user.FetchAsync(messages[1].SortKey, 10);

        Assert.Equal(messages.Skip(2).Select(m => m.Version), page.Select(m => m.Version));
    }

    [Fact]
    public async Task RemoveChannelAsync_DropsItsMessagesOnly()
    {
        var user = NewUser(out _);
        var gone = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await user.AddChannelAsync(gone);
        await user.AddChannelAsync(kept);
        await user.DeliverAsync(TestNotifications.Make(gone));
        await user.DeliverAsync(TestNotifications.Make(gone, topic: "x"));
        var keptMessage = TestNotifications.Make(kept);
        await user.DeliverAsync(keptMessage);

        await user.RemoveChannelAsync(gone);

        Assert.Equal(keptMessage.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(gone)));
    }

    [Fact]
    public async Task HelloAsync_UnknownUser_IsNotKnown_NewUserIsKnownWithoutRecord()
    {
        var user = NewUser(out _);
        var observer = fixture.Grains.CreateObjectReference<IClientObserver>(new RecordingObserver());

        Assert.False((await user.HelloAsync(Guid.NewGuid(), observer, newUser: false)).Known);
        Assert.True((await user.HelloAsync(Guid.NewGuid(), observer, newUser: true)).Known);
        // Still no record: the user exists only from its first channel on.
        Assert.False((await user.HelloAsync(Guid.NewGuid(), observer, newUser: false)).Known);
    }

    [Fact]
    public async Task HelloAsync_SecondSession_GhostsTheFirstAndSupersedesItsRenewals()
    {
        var user = NewUser(out _);
        await user.AddChannelAsync(Guid.NewGuid());
        var first = new RecordingObserver();
        var firstSession = Guid.NewGuid();
        var firstRef = fixture.Grains.CreateObjectReference<IClientObserver>(first);
        await user.HelloAsync(firstSession, firstRef, newUser: false);

        await user.HelloAsync(Guid.NewGuid(), fixture.Grains.CreateObjectReference<IClientObserver>(new RecordingObserver()), newUser: false);

        await Eventually.WaitAsync(() => first.Disconnects.Count == 1, Wait, "the ghost notice");
        Assert.True((await user.RenewAsync(firstSession, firstRef)).Superseded);
    }

    [Fact]
    public async Task RenewAsync_AfterTheGrainWasLost_ReattachesTheSession()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var observer = new RecordingObserver();
        var session = Guid.NewGuid();
        var reference = fixture.Grains.CreateObjectReference<IClientObserver>(observer);
        await user.HelloAsync(session, reference, newUser: false);

        await fixture.Cluster.DeactivateAsync(user);
        Assert.False((await user.RenewAsync(session, reference)).Superseded);
        await user.DeliverAsync(TestNotifications.Make(channel));

        await Eventually.WaitAsync(() => observer.Delivered.Count == 1, Wait, "delivery after reactivation");
    }

    [Fact]
    public async Task DropAsync_RemovesUserAndMessages()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        await user.DeliverAsync(TestNotifications.Make(channel));

        await user.DropAsync();

        Assert.Empty(await user.GetChannelsAsync());
        Assert.Empty(await user.FetchAsync(0, 10));
        Assert.Equal(DeliveryStatus.NoSubscription, await user.DeliverAsync(TestNotifications.Make(channel)));
    }

    [Fact]
    public async Task State_SurvivesDeactivation()
    {
        var user = NewUser(out _);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var stored = TestNotifications.Make(channel);
        await user.DeliverAsync(stored);

        await fixture.Cluster.DeactivateAsync(user);

        Assert.Equal([channel], await user.GetChannelsAsync());
        Assert.Equal(stored.Version, Assert.Single(await user.FetchAsync(0, 10)).Version);
    }
}
