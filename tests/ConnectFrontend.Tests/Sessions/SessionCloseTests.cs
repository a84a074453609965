using System.Net;
using System.Net.WebSockets;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>Every way a session is closed, with the reference's close code and reason, over a real socket.</summary>
public sealed class SessionCloseTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__OPEN_HANDSHAKE_TIMEOUT"] = "1" });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("{\"messageType\":\"register\",\"channelID\":\"deadbeef-0000-4000-8000-00000000cafe\"}", WebSocketCloseStatus.InternalServerError, "SM")]
    [InlineData("{}", WebSocketCloseStatus.InternalServerError, "SM")]
    [InlineData("{\"messageType\":\"hello\",\"uaid\":", WebSocketCloseStatus.InternalServerError, "Json")]
    [InlineData("{\"messageType\":\"greetings\"}", WebSocketCloseStatus.InternalServerError, "Json")]
    [InlineData("{\"messageType\":\"hello\",\"uaid\":42}", WebSocketCloseStatus.InternalServerError, "Json")]
    public async Task FirstFrame_NotAHello_Closes(string frame, WebSocketCloseStatus status, string reason)
    {
        await using var client = await _host.ConnectAsync();
        await client.SendTextAsync(frame);

        Assert.Equal((status, reason), await client.ExpectCloseAsync());
    }

    [Theory]
    [InlineData("{\"messageType\":\"hello\"}", "SM")]
    [InlineData("{\"messageType\":\"register\",\"channelID\":\"DEADBEEF-0000-4000-8000-00000000CAFE\"}", "SM")]
    [InlineData("{\"messageType\":\"register\",\"channelID\":\"deadbeef00004000800000000000cafe\"}", "SM")]
    [InlineData("{\"messageType\":\"register\"}", "Json")]
    [InlineData("nonsense", "Json")]
    public async Task AfterHello_ProtocolError_Closes1011(string frame, string reason)
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        await client.SendTextAsync(frame);

        Assert.Equal((WebSocketCloseStatus.InternalServerError, reason), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Ping_FirstAnsweredSecondTooSoonCloses()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();

        await client.SendTextAsync("{}");
        Assert.Equal("{}", await client.ReceiveTextAsync());
        await client.SendTextAsync("{\"messageType\":\"ping\"}");

        Assert.Equal((WebSocketCloseStatus.InternalServerError, "SM"), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task BinaryFrame_Closes1003()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        await client.SendBinaryAsync([1, 2, 3]);

        Assert.Equal((WebSocketCloseStatus.InvalidMessageType, "UnsupportedMessage"), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task BinaryFirstFrame_Closes1003()
    {
        await using var client = await _host.ConnectAsync();
        await client.SendBinaryAsync([1, 2, 3]);

        Assert.Equal((WebSocketCloseStatus.InvalidMessageType, "UnsupportedMessage"), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task OversizedMessage_Closes1002()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        await client.SendTextAsync("{\"messageType\":\"nack\",\"version\":\"" + new string('a', 70_000) + "\"}");

        Assert.Equal((WebSocketCloseStatus.ProtocolError, "Protocol"), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task NoHelloInTime_Closes1011HandshakeTimeout()
    {
        await using var client = await _host.ConnectAsync();

        Assert.Equal((WebSocketCloseStatus.InternalServerError, "HandshakeTimeout"), await client.ExpectCloseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SecondConnectionForTheSameUaid_ClosesTheFirst()
    {
        await using var first = await _host.ConnectAsync();
        var uaid = (string)(await first.HelloAsync())["uaid"]!;
        await first.RegisterAsync(Guid.NewGuid());

        await using var second = await _host.ConnectAsync();
        Assert.Equal(uaid, (string)(await second.HelloAsync(uaid))["uaid"]!);

        Assert.Equal((WebSocketCloseStatus.InternalServerError, "SM"), await first.ExpectCloseAsync());
        Assert.Equal(WebSocketState.Open, second.State);
    }

    [Fact]
    public async Task ClientClose_IsEchoed()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();

        var echoed = await client.CloseWithAsync((WebSocketCloseStatus)4001, "going away now");

        Assert.Equal(((WebSocketCloseStatus)4001, "going away now"), echoed);
    }

    [Fact]
    public async Task ProtocolError_ClosesOnlyThatSocket()
    {
        await using var bystander = await _host.ConnectAsync();
        await bystander.HelloAsync();
        await using var offender = await _host.ConnectAsync();
        await offender.SendTextAsync("garbage");
        await offender.ExpectCloseAsync();

        Assert.Equal(200, (int)(await bystander.RegisterAsync(Guid.NewGuid()))["status"]!);
    }

    [Fact]
    public async Task WebSocket_AnyPath_IsAccepted()
    {
        await using var client = await PushTestClient.ConnectAsync(new Uri(_host.WebSocketUri, "/some/path/the/user/typed"));

        Assert.Equal(200, (int)(await client.HelloAsync())["status"]!);
    }

    [Theory]
    [InlineData("push/0123456789abcdef0123456789abcdef")]
    [InlineData("notif/0123456789abcdef0123456789abcdef")]
    public async Task RouterRoutes_AreNotOnThePublicPort(string path)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsync(new Uri($"http://127.0.0.1:{_host.WebSocketUri.Port}/{path}"), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
