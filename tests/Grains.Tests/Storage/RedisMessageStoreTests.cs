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
}
