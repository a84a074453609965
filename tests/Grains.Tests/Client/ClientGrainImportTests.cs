using Push.Grains.Messages;

namespace Push.Grains.Tests.Client;

/// <summary>A user brought over from autopush becomes an ordinary user, once, without touching one Push already has.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientGrainImportTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ImportAsync_NewUser_HasItsChannelsAndMessagesOldestFirst()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var older = TestNotifications.Make(a, ttl: 3600);
        var topic = TestNotifications.Make(b, ttl: 3600, topic: "news");

        var result = await user.ImportAsync(new ImportedUser([a, b], [older, topic]));

        Assert.Equal(new ImportResult(ImportOutcome.Imported, 2, 0, 0), result);
        Assert.True(await user.ExistsAsync());
        Assert.Equal(new[] { a, b }.Order(), (await user.GetChannelsAsync()).Order());
        Assert.Equal([older, topic], await user.FetchAsync(0, 10));
        Assert.Equal(DeliveryStatus.Accepted, await user.DeliverAsync(TestNotifications.Make(a)));
    }

    [Fact]
    public async Task ImportAsync_UserAlreadyInPush_ChangesNothing()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var registered = Guid.NewGuid();
        await user.AddChannelAsync(registered);

        var result = await user.ImportAsync(new ImportedUser([Guid.NewGuid()], [TestNotifications.Make(registered, ttl: 3600)]));

        Assert.Equal(ImportOutcome.AlreadyPresent, result.Outcome);
        Assert.Equal([registered], await user.GetChannelsAsync());
        Assert.Empty(await user.FetchAsync(0, 10));
    }

    [Fact]
    public async Task ImportAsync_RunAgainAfterTheRecordWasWritten_DoesNotBringAckedMessagesBack()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        var message = TestNotifications.Make(chid, ttl: 3600);
        var imported = new ImportedUser([chid], [message]);
        await user.ImportAsync(imported);
        await user.AckAsync([new AckedMessage(message.Ref, message.Version)]);

        var again = await user.ImportAsync(imported);

        Assert.Equal(ImportOutcome.AlreadyPresent, again.Outcome);
        Assert.Empty(await user.FetchAsync(0, 10));
    }

    [Fact]
    public async Task ImportAsync_ExpiredMessage_IsCountedNotStored()
    {
        var user = fixture.Grains.GetGrain<IClientGrain>(Guid.NewGuid());
        var chid = Guid.NewGuid();
        var expired = TestNotifications.Make(chid, ttl: 60, timestamp: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        var live = TestNotifications.Make(chid, ttl: 3600);

        var result = await user.ImportAsync(new ImportedUser([chid], [expired, live]));

        Assert.Equal(new ImportResult(ImportOutcome.Imported, 1, 1, 0), result);
        Assert.Equal([live], await user.FetchAsync(0, 10));
    }
}
