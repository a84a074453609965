using System.Security.Cryptography;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Shared.Tests.Tokens;

public sealed class EndpointTokenTests
{
    private static readonly byte[] KeyBytes = Convert.FromBase64String("mqCGb8D+N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=");
    private static readonly FernetKeyRing Keys = new([KeyBytes]);
    private static readonly Guid Uaid = Guid.Parse("0123456789abcdef0123456789abcdef");
    private static readonly Guid Channel = Guid.Parse("deadbeef-0000-4000-8000-00000000cafe");

    [Fact]
    public void Create_V1_EncryptsUaidThenChannelInRfc4122ByteOrder()
    {
        var token = EndpointToken.Create(Keys, Uaid, Channel, keyHash: null);

        Assert.True(Keys.TryDecrypt(token, out var plain));
        // autopush: uaid.as_bytes() ‖ chid.as_bytes(), i.e. the bytes of the 32-hex spellings.
        Assert.Equal(Convert.FromHexString("0123456789abcdef0123456789abcdef" + "deadbeef000040008000" + "00000000cafe"), plain);
        Assert.Equal(140, token.Length);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Create_V2_AppendsSha256OfTheRawKey()
    {
        var rawKey = Enumerable.Range(0, 65).Select(i => (byte)i).ToArray();
        var token = EndpointToken.Create(Keys, Uaid, Channel, EndpointToken.HashKey(rawKey));

        Assert.True(Keys.TryDecrypt(token, out var plain));
        Assert.Equal(64, plain.Length);
        Assert.Equal(SHA256.HashData(rawKey), plain[32..]);
        Assert.Equal(183, token.Length);
        var info = EndpointToken.Read(plain);
        Assert.Equal((Uaid, Channel, 2), (info.Uaid, info.ChannelId, info.ApiVersion));
    }

    [Fact]
    public void TryDecrypt_TokenMadeByAnotherImplementation_IsUnderstood()
    {
        // Built here straight from the layout (Fernet spec framing, RFC 4122 bytes, '=' trimmed),
        // as autopush-rs builds it, with a fixed IV and time.
        var plain = Convert.FromHexString("0123456789abcdef0123456789abcdef" + "deadbeef00004000800000000000cafe");
        var foreign = new Fernet(KeyBytes).Encrypt(plain, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new byte[16]).TrimEnd('=');

        Assert.True(EndpointToken.TryDecrypt(Keys, foreign, out var decrypted));
        var info = EndpointToken.Read(decrypted);
        Assert.Equal(Uaid, info.Uaid);
        Assert.Equal(Channel, info.ChannelId);
        Assert.Null(info.KeyHash);
    }

    [Fact]
    public void Url_JoinsBaseAndVersion()
    {
        Assert.Equal("https://push.example.com/wpush/v1/abc", EndpointToken.Url("https://push.example.com", "abc", v2: false));
        Assert.Equal("https://push.example.com/wpush/v2/abc", EndpointToken.Url("https://push.example.com/", "abc", v2: true));
    }

    [Fact]
    public void TryDecrypt_OtherKey_Fails()
    {
        var token = EndpointToken.Create(Keys, Uaid, Channel, null);
        Assert.False(EndpointToken.TryDecrypt(new FernetKeyRing([new byte[32]]), token, out _));
    }
}
