using System.Security.Cryptography;
using Push.EndpointFrontend.Tokens;
using Push.Shared.Crypto;
using Push.Shared.Tokens;
using Xunit;

namespace Push.EndpointFrontend.Tests.Tokens;

public sealed class EndpointTokenCacheTests
{
    private readonly FernetKeyRing _keys = new([RandomNumberGenerator.GetBytes(Fernet.KeyLength)]);

    [Fact]
    public void TryOpen_ValidToken_OpensItOnceAndKeepsIt()
    {
        var cache = new EndpointTokenCache(_keys);
        var (uaid, channel) = (Guid.NewGuid(), Guid.NewGuid());
        var keyHash = EndpointToken.HashKey([1, 2, 3]);
        var token = EndpointToken.Create(_keys, uaid, channel, keyHash);

        Assert.True(cache.TryOpen(token, out var first));
        Assert.True(cache.TryOpen(token, out var second));

        // The second open is the kept one: the very same key hash, not a second decryption.
        Assert.Same(first.KeyHash, second.KeyHash);
        Assert.Equal((uaid, channel), (first.Uaid, first.ChannelId));
        Assert.Equal(keyHash, first.KeyHash);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryOpen_TokenOfAnotherKey_FailsAndIsNotKept()
    {
        var cache = new EndpointTokenCache(_keys);
        var foreign = EndpointToken.Create(new FernetKeyRing([RandomNumberGenerator.GetBytes(Fernet.KeyLength)]), Guid.NewGuid(), Guid.NewGuid(), keyHash: null);

        Assert.False(cache.TryOpen(foreign, out _));
        Assert.False(cache.TryOpen(foreign, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryOpen_MoreTokensThanCapacity_NeverKeepsMoreThanCapacity()
    {
        var cache = new EndpointTokenCache(_keys);
        var uaid = Guid.NewGuid();
        for (var i = 0; i <= EndpointTokenCache.Capacity; i++)
        {
            Assert.True(cache.TryOpen(EndpointToken.Create(_keys, uaid, Guid.NewGuid(), keyHash: null), out _));
            Assert.True(cache.Count <= EndpointTokenCache.Capacity);
        }

        Assert.Equal(1, cache.Count);
    }
}
