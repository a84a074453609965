using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Push.Grains.Storage;
using StackExchange.Redis;

namespace Push.Grains.Tests.Storage;

[Collection(ClusterCollection.Name)]
public sealed class RedisMessageStoreTests(ClusterFixture fixture)
{
    private IDatabase Db => fixture.Redis.GetDatabase();

    [Fact]
    public async Task SaveAsync_TtlLongerThanDefaultExpiry_QueueOutlivesTheMessage()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        var sixtyDays = (long)TimeSpan.FromDays(60).TotalSeconds;

        await user.DeliverAsync(TestNotifications.Make(channel, ttl: sixtyDays));

        var queueTtl = await Db.KeyTimeToLiveAsync(MessageKeys.Queue("push", uaid));
        Assert.NotNull(queueTtl);
        Assert.True(queueTtl > TimeSpan.FromSeconds(sixtyDays), $"the queue expires in {queueTtl}, before its message");
    }

    [Fact]
    public void ForMaxTtl_LongestTtl_AddsTheMargin()
    {
        Assert.Equal(TimeSpan.FromDays(61), MessageStoreOptions.ForMaxTtl((long)TimeSpan.FromDays(60).TotalSeconds));
    }

    [Fact]
    public async Task SaveAsync_EvictionFailsAfterTheSave_SucceedsAndKeepsTheMessage()
    {
        var uaid = Guid.NewGuid();
        var channel = Guid.NewGuid();
        var redis = FailingEvictionRedis.Wrap(fixture.Redis);
        using var status = new StoreStatus(redis, TimeProvider.System, NullLogger<StoreStatus>.Instance);
        var store = new RedisMessageStore(redis, new SyncedOnReply(), status, Options.Create(new MessageStoreOptions()));
        await store.SaveAsync(uaid, TestNotifications.Make(channel), limit: 1);
        var second = TestNotifications.Make(channel);

        var result = await store.SaveAsync(uaid, second, limit: 1);

        Assert.False(result.Conflict);
        Assert.NotNull(result.EvictionFailure);
        Assert.Contains(MessageKeys.Member(second.Ref), (await Db.SortedSetRangeByScoreAsync(MessageKeys.Queue("push", uaid))).Select(m => m.ToString()));
    }
}
