using System.Text;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Shared.Tests.Tokens;

public sealed class MessageIdTests
{
    private static readonly FernetKeyRing Keys = new([Enumerable.Repeat((byte)3, 32).ToArray()]);
    private static readonly Guid Uaid = Guid.Parse("0123456789abcdef0123456789abcdef");
    private static readonly Guid Channel = Guid.Parse("deadbeef-0000-4000-8000-00000000cafe");

    [Fact]
    public void Plaintext_Timestamped_FollowsTheReferenceLayout() =>
        Assert.Equal("02:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe:1700000000123",
            MessageId.Plaintext(new MessageIdInfo(Uaid, Channel, null, 1_700_000_000_123)));

    [Fact]
    public void Plaintext_Topic_FollowsTheReferenceLayout() =>
        Assert.Equal("01:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe:Inbox",
            MessageId.Plaintext(new MessageIdInfo(Uaid, Channel, "Inbox", 0)));

    [Fact]
    public void Encrypt_KeepsPaddingAndRoundTrips()
    {
        var info = new MessageIdInfo(Uaid, Channel, null, 42);
        var id = MessageId.Encrypt(Keys, info);

        Assert.EndsWith("=", id, StringComparison.Ordinal);
        Assert.True(MessageId.TryDecrypt(Keys, id, out var back));
        Assert.Equal(info, back);
    }

    [Theory]
    [InlineData("03:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe:1")]
    [InlineData("02:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe:notanumber")]
    [InlineData("02:nope:deadbeef00004000800000000000cafe:1")]
    [InlineData("01:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe")]
    [InlineData("01:0123456789abcdef0123456789abcdef:deadbeef00004000800000000000cafe:a:b")]
    public void TryDecrypt_MalformedPlaintext_Fails(string plaintext) =>
        Assert.False(MessageId.TryDecrypt(Keys, Keys.Encrypt(Encoding.ASCII.GetBytes(plaintext)), out _));

    [Fact]
    public void TryDecrypt_Garbage_Fails() => Assert.False(MessageId.TryDecrypt(Keys, "%%%", out _));

    [Fact]
    public void SortKeyMicroseconds_AutopushIdInMilliseconds_IsScaledToMicroseconds() =>
        Assert.Equal(1_700_000_000_123_000, new MessageIdInfo(Uaid, Channel, null, 1_700_000_000_123).SortKeyMicroseconds);

    [Fact]
    public void SortKeyMicroseconds_PushIdInMicroseconds_IsKept() =>
        Assert.Equal(1_700_000_000_123_456, new MessageIdInfo(Uaid, Channel, null, 1_700_000_000_123_456).SortKeyMicroseconds);
}
