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
    private static readonly byte[] RawKey = Enumerable.Range(0, 65).Select(i => (byte)i).ToArray();

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
        var token = EndpointToken.Create(Keys, Uaid, Channel, EndpointToken.HashKey(RawKey));

        Assert.True(Keys.TryDecrypt(token, out var plain));
        Assert.Equal(64, plain.Length);
        Assert.Equal(SHA256.HashData(RawKey), plain[32..]);
        Assert.Equal(183, token.Length);
        Assert.True(EndpointToken.TryOpen(Keys, token, out var info));
        Assert.Equal((Uaid, Channel, 2), (info.Uaid, info.ChannelId, info.ApiVersion));
    }

    [Fact]
    public void TryOpen_TokenMadeByAnotherImplementation_IsUnderstood()
    {
        // Built here straight from the layout (Fernet spec framing, RFC 4122 bytes, '=' trimmed),
        // as autopush-rs builds it, with a fixed IV and time.
        var plain = Convert.FromHexString("0123456789abcdef0123456789abcdef" + "deadbeef00004000800000000000cafe");
        var foreign = new Fernet(KeyBytes).Encrypt(plain, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new byte[16]).TrimEnd('=');

        Assert.True(EndpointToken.TryOpen(Keys, foreign, out var info));
        Assert.Equal(Uaid, info.Uaid);
        Assert.Equal(Channel, info.ChannelId);
        Assert.Null(info.KeyHash);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(96)]
    public void TryOpen_PlaintextOfAnotherLength_Fails(int length)
    {
        var token = Keys.Encrypt(new byte[length]).TrimEnd('=');

        Assert.True(Keys.TryDecrypt(token, out _));
        Assert.False(EndpointToken.TryOpen(Keys, token, out _));
    }

    [Fact]
    public void TryOpen_OtherKey_Fails()
    {
        var token = EndpointToken.Create(Keys, Uaid, Channel, null);
        Assert.False(EndpointToken.TryOpen(new FernetKeyRing([new byte[32]]), token, out _));
    }

    [Fact]
    public void TryOpen_TextLongerThanAnyToken_FailsWithoutDecrypting()
    {
        Assert.False(EndpointToken.TryOpen(Keys, new string('A', 513), out _));
    }

    [Fact]
    public void IsBoundTo_TheKeyOfAV2Token_IsTrueAndAnyOtherKeyFalse()
    {
        Assert.True(EndpointToken.TryOpen(Keys, EndpointToken.Create(Keys, Uaid, Channel, EndpointToken.HashKey(RawKey)), out var v2));
        Assert.True(EndpointToken.TryOpen(Keys, EndpointToken.Create(Keys, Uaid, Channel, null), out var v1));

        Assert.True(v2.IsBoundTo(RawKey));
        Assert.False(v2.IsBoundTo(RawKey.AsSpan(1)));
        Assert.False(v1.IsBoundTo(RawKey));
    }

    [Theory]
    [InlineData(null, true, false)]
    [InlineData("AAECAw", true, true)]
    [InlineData("AAECAw==", true, true)]
    [InlineData("AA+/", false, false)]
    public void TryHashKey_Key_HashesItsRawBytes(string? key, bool ok, bool hashed)
    {
        Assert.Equal(ok, EndpointToken.TryHashKey(key, out var keyHash));
        Assert.Equal(hashed ? SHA256.HashData(new byte[] { 0, 1, 2, 3 }) : null, keyHash);
    }
}
