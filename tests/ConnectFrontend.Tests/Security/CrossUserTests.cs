using System.Net;

namespace Push.ConnectFrontend.Tests.Security;

/// <summary>A client acts only on its own UAID: knowing another user's ids gives it no power over them.</summary>
public sealed class CrossUserTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AckAndUnregister_OfAnotherUsersMessageAndChannel_LeaveThemStoredAndDelivered()
    {
        // B: offline, one stored message whose version and channel A learns.
        var channelB = Guid.NewGuid();
        string uaidB, endpointB;
        await using (var b = await _host.ConnectAsync())
        {
            uaidB = (string)(await b.HelloAsync())["uaid"]!;
            endpointB = (string)(await b.RegisterAsync(channelB))["pushEndpoint"]!;
        }

        using var pushed = await _http.PushAsync(endpointB, "for B only", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var versionB = pushed.Headers.Location!.Segments[^1];
        var before = await FuzzChecks.SnapshotAsync(_host, Guid.ParseExact(uaidB, "N"));

        await using (var a = await _host.ConnectAsync())
        {
            await a.HelloAsync();
            await a.AckAsync(channelB.ToString(), versionB);
            await a.SendAsync(new { messageType = "unregister", channelID = channelB.ToString() });
            var reply = await a.ReceiveAsync();
            Assert.Equal("unregister", (string?)reply!["messageType"]);
        }

        Assert.Equal(before, await FuzzChecks.SnapshotAsync(_host, Guid.ParseExact(uaidB, "N")));
        using (var again = await _http.PushAsync(endpointB, "still B's", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        await using var bAgain = await _host.ConnectAsync();
        await bAgain.HelloAsync(uaidB);
        var first = await bAgain.NotificationAsync();
        Assert.Equal(versionB, (string)first["version"]!);
        Assert.Equal(PushHttp.Base64Url("for B only"), (string)first["data"]!);
        Assert.Equal(channelB.ToString(), (string)(await bAgain.NotificationAsync())["channelID"]!);
    }
}
