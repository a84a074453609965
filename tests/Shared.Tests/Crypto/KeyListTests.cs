using Push.Shared.Crypto;

namespace Push.Shared.Tests.Crypto;

public sealed class KeyListTests
{
    private const string UrlSafeKey = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=";

    [Theory]
    [InlineData("[mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=]")]
    [InlineData("[\"mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=\"]")]
    [InlineData("mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=")]
    [InlineData(" [ mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ= ] ")]
    [InlineData("[mqCGb8D+N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=]")]
    [InlineData("[mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ]")]
    public void TryParseFernetKeys_AcceptedSpellings_GiveTheSameKey(string text)
    {
        Assert.True(KeyList.TryParseFernetKeys(text, out var keys, out var error), error);
        var expected = Convert.FromBase64String(UrlSafeKey.Replace('-', '+'));
        Assert.Equal(expected, Assert.Single(keys));
    }

    [Fact]
    public void TryParseFernetKeys_TwoKeys_KeepsOrder()
    {
        var second = Convert.ToBase64String(new byte[32]);
        Assert.True(KeyList.TryParseFernetKeys($"[\"{UrlSafeKey}\", \"{second}\"]", out var keys, out _));
        Assert.Equal(2, keys.Count);
        Assert.Equal(new byte[32], keys[1]);
    }

    [Theory]
    [InlineData("[CRYPTO_KEY]", "placeholder")]
    [InlineData("[abc]", "not a Fernet key")]
    [InlineData("[]", "no key given")]
    [InlineData("[AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA]", "not a Fernet key")]
    public void TryParseFernetKeys_BadInput_SaysWhy(string text, string expected)
    {
        Assert.False(KeyList.TryParseFernetKeys(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseFernetKeys_BadKey_DoesNotEchoTheSecret()
    {
        const string almost = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUu";
        Assert.False(KeyList.TryParseFernetKeys(almost, out _, out var error));
        Assert.DoesNotContain(almost, error, StringComparison.Ordinal);
    }
}
