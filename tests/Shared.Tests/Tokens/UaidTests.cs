using Push.Shared.Tokens;

namespace Push.Shared.Tests.Tokens;

public sealed class UaidTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("01234567-89ab-cdef-0123-456789abcdef")]
    [InlineData("{01234567-89AB-CDEF-0123-456789ABCDEF}")]
    [InlineData("urn:uuid:01234567-89ab-cdef-0123-456789abcdef")]
    public void TryParse_AnyUuidSpelling_Accepted(string text)
    {
        Assert.True(Uaid.TryParse(text, out var uaid));
        Assert.Equal("0123456789abcdef0123456789abcdef", Uaid.Format(uaid));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("00000000000000000000000000000000")]
    public void TryParse_Other_MeansNoUaid(string? text) => Assert.False(Uaid.TryParse(text, out _));

    [Theory]
    [InlineData("deadbeef-0000-4000-8000-00000000cafe", true)]
    [InlineData("DEADBEEF-0000-4000-8000-00000000CAFE", false)]
    [InlineData("deadbeef00004000800000000000cafe", false)]
    [InlineData("{deadbeef-0000-4000-8000-00000000cafe}", false)]
    public void ChannelIds_TryParseStrict_OnlyLowercaseHyphenated(string text, bool accepted) =>
        Assert.Equal(accepted, ChannelIds.TryParseStrict(text, out _));
}
