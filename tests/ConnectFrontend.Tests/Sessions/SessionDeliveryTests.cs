using System.Net;
using System.Text.Json.Nodes;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>Delivery, acks and storage as a client sees them (msg_limit 5, at most 3 unacked in flight).</summary>
public sealed class SessionDeliveryTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__MSG_LIMIT"] = "5",
            ["AUTOCONNECT__CLIENT_CHANNEL_CAPACITY"] = "3",
            ["PUSH__SESSION_RENEW_INTERVAL"] = "1",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task StoredMessage_ComesAgainOnEveryReconnectUntilAcked()
    {
        var (uaid, channel, endpoint) = await SubscribeAndLeaveAsync();
        await PushAsync(endpoint, "again");

        for (var i = 0; i < 2; i++)
        {
            await using var client = await ReconnectAsync(uaid);
            Assert.Equal(PushHttp.Base64Url("again"), (string)(await client.NotificationAsync())["data"]!);
        }

        await using (var acking = await ReconnectAsync(uaid))
        {
            var n = await acking.NotificationAsync();
            await acking.AckAsync(channel.ToString(), (string)n["version"]!);
            await WaitStoredAsync(uaid, 0);
        }

        await using var last = await ReconnectAsync(uaid);
        Assert.True(await last.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task LiveDeliveredButUnacked_ComesAgainAfterReconnect()
    {
        await using var client = await _host.ConnectAsync();
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        await PushAsync(endpoint, "live");
        var live = await client.NotificationAsync();
        await client.CloseAsync();

        await using var again = await ReconnectAsync(uaid);
        var redelivered = await again.NotificationAsync();
        Assert.Equal((string)live["version"]!, (string)redelivered["version"]!);
    }

    [Fact]
    public async Task PartialAcks_OnlyTheUnackedComeBack()
    {
        var (uaid, channel, endpoint) = await SubscribeAndLeaveAsync();
        foreach (var body in new[] { "one", "two", "three" })
        {
            await PushAsync(endpoint, body);
        }

        await using (var client = await ReconnectAsync(uaid))
        {
            var one = await client.NotificationAsync();
            await client.NotificationAsync();
            var three = await client.NotificationAsync();
            await client.AckAsync(channel.ToString(), (string)one["version"]!);
            await client.AckAsync(channel.ToString(), (string)three["version"]!);
            await WaitStoredAsync(uaid, 1);
        }

        await using var again = await ReconnectAsync(uaid);
        Assert.Equal(PushHttp.Base64Url("two"), (string)(await again.NotificationAsync())["data"]!);
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task TtlExpiredWhileOffline_IsNotDelivered()
    {
        var (uaid, _, endpoint) = await SubscribeAndLeaveAsync();
        await PushAsync(endpoint, "short-lived", ttl: "1");
        await PushAsync(endpoint, "long-lived", ttl: "600");
        var expiry = DateTimeOffset.UtcNow.AddSeconds(2.2);
        await Eventually.WaitAsync(() => DateTimeOffset.UtcNow > expiry, TimeSpan.FromSeconds(5), "the short TTL to pass");

        await using var client = await ReconnectAsync(uaid);
        Assert.Equal(PushHttp.Base64Url("long-lived"), (string)(await client.NotificationAsync())["data"]!);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task TtlZero_ReachesAConnectedClientOnly()
    {
        await using var client = await _host.ConnectAsync();
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;

        await PushAsync(endpoint, "now", ttl: "0");
        Assert.Equal(PushHttp.Base64Url("now"), (string)(await client.NotificationAsync())["data"]!);
        await client.CloseAsync();
        await PushAsync(endpoint, "never", ttl: "0");

        await using var again = await ReconnectAsync(uaid);
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task MsgLimit_EvictsTheOldestAndKeepsTheUaidAndEndpoints()
    {
        var (uaid, channel, endpoint) = await SubscribeAndLeaveAsync();
        for (var i = 1; i <= 7; i++)
        {
            await PushAsync(endpoint, $"m{i}");
        }

        await using var client = await ReconnectAsync(uaid);
        var received = new List<string>();
        while (received.Count < 5)
        {
            var n = await client.NotificationAsync();
            received.Add((string)n["data"]!);
            await client.AckAsync(channel.ToString(), (string)n["version"]!);
        }

        Assert.Equal(Enumerable.Range(3, 5).Select(i => PushHttp.Base64Url($"m{i}")), received);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
        using var stillValid = await _http.PushAsync(endpoint, "fresh", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, stillValid.StatusCode);
    }

    [Fact]
    public async Task SlowClient_GetsAtMostTheWindowUntilItAcks()
    {
        var (uaid, channel, endpoint) = await SubscribeAndLeaveAsync();
        for (var i = 1; i <= 5; i++)
        {
            await PushAsync(endpoint, $"m{i}");
        }

        await using var client = await ReconnectAsync(uaid);
        var first = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            first.Add(await client.NotificationAsync());
        }

        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
        foreach (var n in first)
        {
            await client.AckAsync(channel.ToString(), (string)n["version"]!);
        }

        Assert.Equal(PushHttp.Base64Url("m4"), (string)(await client.NotificationAsync())["data"]!);
        Assert.Equal(PushHttp.Base64Url("m5"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task Unregister_DropsStoredMessagesAndLaterPushesAre410()
    {
        var (uaid, channel, endpoint) = await SubscribeAndLeaveAsync();
        await PushAsync(endpoint, "orphan");
        await using (var client = await ReconnectAsync(uaid))
        {
            await client.NotificationAsync();
            await client.SendAsync(new { messageType = "unregister", channelID = channel.ToString(), code = 200 });
            var reply = await client.ReceiveAsync();
            Assert.Equal(["messageType", "channelID", "status"], reply!.Select(p => p.Key));
        }

        await using var again = await ReconnectAsync(uaid);
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
        using var gone = await _http.PushAsync(endpoint, "late", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Fact]
    public async Task SunupShapedFlow_WorksEndToEnd()
    {
        using var vapid = new VapidSigner();
        await using var client = await _host.ConnectAsync();
        await client.SendTextAsync("{\"messageType\":\"hello\",\"uaid\":null}");
        var hello = await client.ReceiveAsync();
        Assert.Equal(200, (int)hello!["status"]!);
        Assert.True((bool)hello["use_webpush"]!);
        var channel = Guid.NewGuid();
        await client.SendTextAsync($"{{\"messageType\":\"register\",\"channelID\":\"{channel}\",\"key\":\"{vapid.PublicKey}\"}}");
        var register = await client.ReceiveAsync();
        var endpoint = (string)register!["pushEndpoint"]!;
        Assert.Equal(["messageType", "channelID", "status", "pushEndpoint"], register.Select(p => p.Key));

        using var push = await _http.PushAsync(endpoint, "for sunup",
            [.. PushHttp.Aes128Gcm(), ("Authorization", vapid.Authorization(_host.EndpointUri.GetLeftPart(UriPartial.Authority)))]);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        var n = await client.NotificationAsync();
        await client.SendTextAsync($"{{\"messageType\":\"ack\",\"updates\":[{{\"channelID\":\"{channel}\",\"version\":\"{n["version"]}\"}}]}}");
        await WaitStoredAsync((string)hello["uaid"]!, 0);
    }

    [Fact]
    public async Task GrainLost_SessionRenewsAndStillGetsMessages()
    {
        await using var client = await _host.ConnectAsync();
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        var grains = (IGrainFactory)_host.Host.Services.GetService(typeof(IGrainFactory))!;
        var grain = grains.GetGrain<Push.Grains.IClientGrain>(Guid.ParseExact(uaid, "N"));

        // Lose the activation (as when its silo dies): the new one does not know the session.
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await PushAsync(endpoint, "after loss");

        Assert.Equal(PushHttp.Base64Url("after loss"), (string)(await client.NotificationAsync(TimeSpan.FromSeconds(10)))["data"]!);
    }

    private async Task<(string Uaid, Guid Channel, string Endpoint)> SubscribeAndLeaveAsync()
    {
        await using var client = await _host.ConnectAsync();
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var channel = Guid.NewGuid();
        var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        return (uaid, channel, endpoint);
    }

    private async Task<PushTestClient> ReconnectAsync(string uaid)
    {
        var client = await _host.ConnectAsync();
        Assert.Equal(uaid, (string)(await client.HelloAsync(uaid))["uaid"]!);
        return client;
    }

    private async Task PushAsync(string endpoint, string body, string ttl = "600")
    {
        using var response = await _http.PushAsync(endpoint, body, PushHttp.Aes128Gcm(ttl));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task WaitStoredAsync(string uaid, int count)
    {
        var grains = (IGrainFactory)_host.Host.Services.GetService(typeof(IGrainFactory))!;
        var grain = grains.GetGrain<Push.Grains.IClientGrain>(Guid.ParseExact(uaid, "N"));
        await Eventually.WaitAsync(async () => (await grain.FetchAsync(0, 100)).Count, n => n == count, TimeSpan.FromSeconds(10), $"{count} stored message(s)");
    }
}
