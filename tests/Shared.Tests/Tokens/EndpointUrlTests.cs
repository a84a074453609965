using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Shared.Tests.Tokens;

public sealed class EndpointUrlTests
{
    private static readonly FernetKeyRing Keys = new([Convert.FromBase64String("mqCGb8D+N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=")]);

    [Fact]
    public void Format_BaseWithOrWithoutSlash_JoinsBaseAndVersion()
    {
        Assert.Equal("https://push.example.com/wpush/v1/abc", EndpointUrl.Format("https://push.example.com", "abc", v2: false));
        Assert.Equal("https://push.example.com/wpush/v2/abc", EndpointUrl.Format("https://push.example.com/", "abc", v2: true));
    }

    [Theory]
    [InlineData("/wpush/v1/abc", "v1", "abc")]
    [InlineData("/wpush/v2/abc", "v2", "abc")]
    [InlineData("/wpush/abc", "v1", "abc")]
    [InlineData("/wpush/v9/abc", "v9", "abc")]
    [InlineData("//wpush//v2/abc/", "v2", "abc")]
    public void TryParsePath_EndpointPath_GivesVersionAndToken(string path, string version, string token)
    {
        Assert.True(EndpointUrl.TryParsePath(path, out var parsedVersion, out var parsedToken));
        Assert.Equal((version, token), (parsedVersion, parsedToken));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/wpush")]
    [InlineData("/wpush/v1/abc/more")]
    [InlineData("/m/abc")]
    [InlineData("/WPUSH/v1/abc")]
    public void TryParsePath_OtherPath_Fails(string path)
    {
        Assert.False(EndpointUrl.TryParsePath(path, out _, out _));
    }

    [Theory]
    [InlineData(null, "/wpush/v1/")]
    [InlineData("AAECAw", "/wpush/v2/")]
    public void Mint_Key_GivesAUrlThatParsesAndOpensToTheSubscription(string? publicKey, string expectedPath)
    {
        var (uaid, channel) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True(EndpointToken.TryHashKey(publicKey, out var keyHash));

        var url = new Uri(EndpointUrl.Mint(Keys, "https://push.example.com/", uaid, channel, keyHash));

        Assert.StartsWith(expectedPath, url.AbsolutePath, StringComparison.Ordinal);
        Assert.True(EndpointUrl.TryParsePath(url.AbsolutePath, out var version, out var token));
        Assert.True(EndpointToken.TryOpen(Keys, token, out var info));
        Assert.Equal((uaid, channel, version), (info.Uaid, info.ChannelId, $"v{info.ApiVersion}"));
        Assert.Equal(keyHash, info.KeyHash);
    }
}
