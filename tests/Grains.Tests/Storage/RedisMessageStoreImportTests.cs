using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Push.Grains.Storage;
using StackExchange.Redis;

namespace Push.Grains.Tests.Storage;

/// <summary>Imported messages keep their own expiry, and a repeated import stores nothing twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisMessageStoreImportTests(ClusterFixture fixture) : IDisposable
{
    private readonly StoreStatus _status = new(fixture.Redis, TimeProvider.System, NullLogger<StoreStatus>.Instance);
    private RedisMessageStore? _store;

    private RedisMessageStore Store => _store ??= new(fixture.Redis, new SyncedOnReply(), _status, Options.Create(new MessageStoreOptions()));

    public void Dispose() => _status.Dispose();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task ImportAsync_Message_ExpiresWhenItsOwnTtlEnds()
    {
        var uaid = Guid.NewGuid();
        // Received 50 minutes ago with an hour to live: 10 minutes are left, not a whole hour.
        var message = TestNotifications.Make(Guid.NewGuid(), ttl: 3600, timestamp: Now - 3000);

        await Store.ImportAsync(uaid, [message], Now);

        var ttl = await fixture.Redis.GetDatabase().KeyTimeToLiveAsync(MessageKeys.Body("push", uaid, MessageKeys.Member(message.Ref)));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task ImportAsync_SameMessagesAgain_StoresEachOnce()
    {
        var uaid = Guid.NewGuid();
        var messages = new[] { TestNotifications.Make(Guid.NewGuid(), ttl: 3600), TestNotifications.Make(Guid.NewGuid(), ttl: 3600, topic: "t") };
        await Store.ImportAsync(uaid, messages, Now);

        var again = await Store.ImportAsync(uaid, messages, Now);

        Assert.Equal(new ImportSaveResult(2, 0, 0), again);
        Assert.Equal(messages, (await Store.FetchAsync(uaid, 0, 10, Now)).Messages);
    }

    [Fact]
    public async Task ImportAsync_IdHoldsAnotherMessage_IsAConflictAndKeepsTheStoredOne()
    {
        var uaid = Guid.NewGuid();
        var stored = TestNotifications.Make(Guid.NewGuid(), ttl: 3600, data: "c3RvcmVk");
        await Store.ImportAsync(uaid, [stored], Now);

        var result = await Store.ImportAsync(uaid, [stored with { Data = "b3RoZXI" }], Now);

        Assert.Equal(new ImportSaveResult(0, 0, 1), result);
        Assert.Equal([stored], (await Store.FetchAsync(uaid, 0, 10, Now)).Messages);
    }

    [Fact]
    public async Task ImportAsync_NewerTopicMessage_ReplacesTheStoredOne()
    {
        var uaid = Guid.NewGuid();
        var chid = Guid.NewGuid();
        await Store.ImportAsync(uaid, [TestNotifications.Make(chid, ttl: 3600, topic: "t")], Now);
        var newer = TestNotifications.Make(chid, ttl: 3600, topic: "t");

        await Store.ImportAsync(uaid, [newer], Now);

        Assert.Equal([newer], (await Store.FetchAsync(uaid, 0, 10, Now)).Messages);
    }

    [Fact]
    public async Task ImportAsync_AllExpired_WritesNothing()
    {
        var uaid = Guid.NewGuid();

        var result = await Store.ImportAsync(uaid, [TestNotifications.Make(Guid.NewGuid(), ttl: 60, timestamp: Now - 120)], Now);

        Assert.Equal(new ImportSaveResult(0, 1, 0), result);
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(MessageKeys.Queue("push", uaid)));
    }
}
