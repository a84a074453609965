using System.Text;
using Push.ConnectFrontend.Protocol;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Tests.Protocol;

public sealed class ClientMessageParserTests
{
    private static ClientMessage? Parse(string json) =>
        ClientMessageParser.TryParse(Encoding.UTF8.GetBytes(json), out var message) ? message : null;

    [Theory]
    [InlineData("{}")]
    [InlineData(" { } ")]
    [InlineData("{\"messageType\":\"ping\"}")]
    public void TryParse_PingForms_ArePing(string json) => Assert.IsType<PingMessage>(Parse(json));

    [Fact]
    public void TryParse_SunupHello_OnlyUaidNull()
    {
        var hello = Assert.IsType<HelloMessage>(Parse("{\"messageType\":\"hello\",\"uaid\":null}"));
        Assert.Null(hello.Uaid);
        Assert.Empty(hello.Broadcasts);
    }

    [Fact]
    public void TryParse_HelloWithEverything_KeepsUaidAndBroadcasts()
    {
        var hello = Assert.IsType<HelloMessage>(Parse(
            "{\"messageType\":\"hello\",\"uaid\":\"abc\",\"use_webpush\":true,\"channelIDs\":[\"deadbeef-0000-4000-8000-00000000cafe\"],\"broadcasts\":{\"kinto:123\":\"ver0\"},\"extra\":1}"));
        Assert.Equal("abc", hello.Uaid);
        Assert.Equal("ver0", hello.Broadcasts["kinto:123"]);
    }

    [Fact]
    public void TryParse_AckWithoutCode_IsAccepted()
    {
        var ack = Assert.IsType<AckMessage>(Parse("{\"messageType\":\"ack\",\"updates\":[{\"channelID\":\"deadbeef-0000-4000-8000-00000000cafe\",\"version\":\"v1\"}]}"));
        Assert.Equal("v1", Assert.Single(ack.Updates).Version);
    }

    [Theory]
    [InlineData("{\"messageType\":\"urgency\",\"min\":\"low\"}", Urgency.Low)]
    [InlineData("{\"messageType\":\"urgency\",\"min\":\"very-low\"}", Urgency.VeryLow)]
    public void TryParse_Urgency_ReadsTheMinimum(string json, Urgency expected) =>
        Assert.Equal(expected, Assert.IsType<UrgencyMessage>(Parse(json)).Minimum);

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"messageType\":\"nope\"}")]
    [InlineData("{\"messageType\":5}")]
    [InlineData("{\"foo\":1}")]
    [InlineData("{\"messageType\":\"hello\",\"uaid\":123}")]
    [InlineData("{\"messageType\":\"hello\",\"channelIDs\":[\"not-a-uuid\"]}")]
    [InlineData("{\"messageType\":\"hello\",\"broadcasts\":{\"a\":1}}")]
    [InlineData("{\"messageType\":\"register\"}")]
    [InlineData("{\"messageType\":\"register\",\"channelID\":7}")]
    [InlineData("{\"messageType\":\"register\",\"channelID\":\"x\",\"key\":7}")]
    [InlineData("{\"messageType\":\"unregister\",\"channelID\":\"nope\"}")]
    [InlineData("{\"messageType\":\"unregister\",\"channelID\":\"deadbeef-0000-4000-8000-00000000cafe\",\"code\":-1}")]
    [InlineData("{\"messageType\":\"ack\"}")]
    [InlineData("{\"messageType\":\"ack\",\"updates\":[{\"version\":\"v\"}]}")]
    [InlineData("{\"messageType\":\"ack\",\"updates\":[{\"channelID\":\"deadbeef-0000-4000-8000-00000000cafe\"}]}")]
    [InlineData("{\"messageType\":\"nack\"}")]
    [InlineData("{\"messageType\":\"broadcast_subscribe\"}")]
    [InlineData("{\"messageType\":\"urgency\"}")]
    public void TryParse_NotProtocolJson_Fails(string json) => Assert.Null(Parse(json));

    [Fact]
    public void TryParse_DeepNesting_FailsWithoutThrowing() =>
        Assert.Null(Parse("{\"messageType\":\"hello\",\"x\":" + new string('[', 500) + new string(']', 500) + "}"));

    [Fact]
    public void TryParse_InvalidUtf8_Fails() =>
        Assert.False(ClientMessageParser.TryParse(new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, out _));
}
