using Push.Grains.Messages;
using Push.Grains.Storage;
using Push.Testing;
using StackExchange.Redis;

namespace Push.Grains.Tests.Client;

/// <summary>
/// A register or unregister whose store write fails, for real: the user's grain never answers from
/// channels the store does not have (or lacks ones it has), so a client's retry is not answered from
/// memory alone and a push is judged by what is stored.
/// </summary>
[Collection(CutStoreClusterCollection.Name)]
public sealed class ClientGrainStoreFaultTests(CutStoreClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private IDatabase Store => fixture.Redis.GetDatabase();

    [Fact]
    public async Task AddChannelAsync_StoreRefusesTheWrite_NothingRememberedAndARetryStoresIt()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var channel = Guid.NewGuid();
        var key = MessageKeys.Channels("push", uaid);
        // A key of the wrong type: the store answers the channel write with an error.
        await Store.ListLeftPushAsync(key, "not a hash");

        await Assert.ThrowsAnyAsync<Exception>(() => user.AddChannelAsync(channel));
        await Store.KeyDeleteAsync(key);

        Assert.False(await user.HasChannelAsync(channel));
        await fixture.Cluster.DeactivateAsync(user);
        Assert.Empty(await user.GetChannelsAsync());

        Assert.Equal(ChannelAdded.Added, await user.AddChannelAsync(channel));
        Assert.True(await Store.HashExistsAsync(key, channel.ToString("D")));
        await fixture.Cluster.DeactivateAsync(user);
        Assert.Equal([channel], await user.GetChannelsAsync());
    }

    [Fact]
    public async Task AddChannelAsync_ReplyLostAfterTheStoreAppliedIt_TheUserHasTheChannel()
    {
        var (uaid, user, kept) = await UserWithAChannelAsync();
        var added = Guid.NewGuid();

        var call = await LoseTheReplyAsync(added, () => user.AddChannelAsync(added), stored: true, uaid);

        await Assert.ThrowsAnyAsync<Exception>(() => call);
        await AssertMemoryMatchesStoreAsync(uaid, user, [kept, added]);
    }

    [Fact]
    public async Task RemoveChannelAsync_ReplyLostAfterTheStoreAppliedIt_TheUserNoLongerHasTheChannel()
    {
        var (uaid, user, kept) = await UserWithAChannelAsync();
        var removed = Guid.NewGuid();
        await user.AddChannelAsync(removed);

        var call = await LoseTheReplyAsync(removed, () => user.RemoveChannelAsync(removed), stored: false, uaid);

        await Assert.ThrowsAnyAsync<Exception>(() => call);
        await AssertMemoryMatchesStoreAsync(uaid, user, [kept]);
    }

    private async Task<(Guid Uaid, IClientGrain User, Guid Channel)> UserWithAChannelAsync()
    {
        var uaid = Guid.NewGuid();
        var user = fixture.Grains.GetGrain<IClientGrain>(uaid);
        var channel = Guid.NewGuid();
        await user.AddChannelAsync(channel);
        return (uaid, user, channel);
    }

    /// <summary>
    /// Starts <paramref name="write"/> with the proxy holding back the store's reply to the request that
    /// names <paramref name="channel"/>, waits until the store shows the write applied, then cuts the
    /// connection: the grain's write fails though it took effect.
    /// </summary>
    private async Task<Task> LoseTheReplyAsync(Guid channel, Func<Task> write, bool stored, Guid uaid)
    {
        fixture.Proxy.HoldRepliesAfter(channel.ToString("D"));
        var call = write();
        await Eventually.WaitAsync(
            () => Store.HashExistsAsync(MessageKeys.Channels("push", uaid), channel.ToString("D")),
            exists => exists == stored && fixture.Proxy.Holding,
            Wait,
            "the store to apply the write while its reply is held back");
        fixture.Proxy.Cut();
        return call;
    }

    private async Task AssertMemoryMatchesStoreAsync(Guid uaid, IClientGrain user, Guid[] expected)
    {
        var stored = await Store.HashKeysAsync(MessageKeys.Channels("push", uaid));
        Assert.Equal(expected.Select(c => c.ToString("D")).Order(), stored.Select(f => f.ToString()).Order());
        Assert.Equal(expected.Order(), (await user.GetChannelsAsync()).Order());
        foreach (var channel in expected)
        {
            Assert.True(await user.HasChannelAsync(channel));
        }
    }
}
