using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>The single-process service driven from outside: a real WebSocket client and real HTTP.</summary>
public sealed class PushHostRoundTripTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Push_ConnectedClient_ReceivesAndAcks()
    {
        await using var client = await _host.ConnectAsync();
        var hello = await client.HelloAsync();
        Assert.Equal(["messageType", "uaid", "status", "use_webpush", "broadcasts"], hello.Select(p => p.Key));
        Assert.Equal(200, (int)hello["status"]!);
        Assert.True((bool)hello["use_webpush"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)hello["uaid"]!);
        var channel = Guid.NewGuid();
        var register = await client.RegisterAsync(channel);
        Assert.Equal(200, (int)register["status"]!);
        Assert.Equal(channel.ToString(), (string)register["channelID"]!);
        var endpoint = (string)register["pushEndpoint"]!;
        Assert.StartsWith(_host.EndpointUri + "wpush/v1/", endpoint, StringComparison.Ordinal);

        using var response = await PostAsync(endpoint, "hello push", ttl: "60");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("60", response.Headers.GetValues("TTL").Single());
        var notification = await client.NotificationAsync();
        Assert.Equal(channel.ToString(), (string)notification["channelID"]!);
        Assert.Equal(Base64Url("hello push"), (string)notification["data"]!);
        Assert.Equal("aes128gcm", (string)notification["headers"]!["encoding"]!);
        Assert.Equal(_host.EndpointUri + "m/" + (string)notification["version"]!, response.Headers.Location!.ToString());
        await client.AckAsync(channel.ToString(), (string)notification["version"]!);
    }

    [Fact]
    public async Task Hello_ReturningUaid_KeepsItAndUnknownUaidGetsANewOne()
    {
        var uaid = await RegisteredUaidAsync(Guid.NewGuid());
        await using var again = await _host.ConnectAsync();
        Assert.Equal(uaid, (string)(await again.HelloAsync(uaid))["uaid"]!);

        await using var stranger = await _host.ConnectAsync();
        var unknown = Guid.NewGuid().ToString("N");
        var reply = await stranger.HelloAsync(unknown);
        Assert.NotEqual(unknown, (string)reply["uaid"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)reply["uaid"]!);
    }

    [Fact]
    public async Task Push_WhileOffline_IsStoredAndDeliveredOldestFirstUntilAcked()
    {
        var channel = Guid.NewGuid();
        var (uaid, endpoint) = await RegisterAndLeaveAsync(channel);
        using (var r1 = await PostAsync(endpoint, "first"))
        using (var r2 = await PostAsync(endpoint, "second"))
        {
            Assert.Equal(HttpStatusCode.Created, r1.StatusCode);
            Assert.Equal(HttpStatusCode.Created, r2.StatusCode);
        }

        await using (var client = await _host.ConnectAsync())
        {
            await client.HelloAsync(uaid);
            var first = await client.NotificationAsync();
            var second = await client.NotificationAsync();
            Assert.Equal(Base64Url("first"), (string)first["data"]!);
            Assert.Equal(Base64Url("second"), (string)second["data"]!);
            await client.AckAsync(channel.ToString(), (string)first["version"]!);
            await Eventually.WaitAsync(async () => (await StoredCountAsync(uaid)), n => n == 1, TimeSpan.FromSeconds(10), "the ack to land");
        }

        await using var again = await _host.ConnectAsync();
        await again.HelloAsync(uaid);
        Assert.Equal(Base64Url("second"), (string)(await again.NotificationAsync())["data"]!);
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Push_TtlZeroWhileOffline_IsAcceptedButNeverDelivered()
    {
        var (uaid, endpoint) = await RegisterAndLeaveAsync(Guid.NewGuid());

        using var response = await PostAsync(endpoint, "now or never", ttl: "0");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync(uaid);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Unregister_ThenPush_Is410WithErrno106()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var channel = Guid.NewGuid();
        var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        await client.SendAsync(new { messageType = "unregister", channelID = channel.ToString() });
        var reply = await client.ReceiveAsync();
        Assert.Equal("unregister", (string)reply!["messageType"]!);
        Assert.Equal(200, (int)reply["status"]!);

        using var response = await PostAsync(endpoint, "late");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("max-age=86400", response.Headers.CacheControl!.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(410, (int)body["code"]!);
        Assert.Equal(106, (int)body["errno"]!);
        Assert.Equal("Gone", (string)body["error"]!);
    }

    [Fact]
    public async Task RegisterWithKey_V2Endpoint_NeedsThatKeysVapid()
    {
        using var vapid = new VapidSigner();
        using var other = new VapidSigner();
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var channel = Guid.NewGuid();
        var register = await client.RegisterAsync(channel, vapid.PublicKey);
        var endpoint = (string)register["pushEndpoint"]!;
        Assert.Contains("/wpush/v2/", endpoint, StringComparison.Ordinal);
        var audience = _host.EndpointUri.GetLeftPart(UriPartial.Authority);

        using var unsigned = await PostAsync(endpoint, "x");
        using var wrongKey = await PostAsync(endpoint, "x", authorization: other.Authorization(audience));
        using var signed = await PostAsync(endpoint, "signed", authorization: vapid.Authorization(audience));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(109, (int)JsonNode.Parse(await wrongKey.Content.ReadAsStringAsync())!["errno"]!);
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        Assert.Equal(Base64Url("signed"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task Register_BadKey_Replies400AndKeepsTheSocket()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var channel = Guid.NewGuid();

        var reply = await client.RegisterAsync(channel, "af1883%&!@#*(");

        Assert.Equal(400, (int)reply["status"]!);
        Assert.Equal(200, (int)(await client.RegisterAsync(Guid.NewGuid()))["status"]!);
    }

    [Fact]
    public async Task Post_InvalidTokenOrMissingTtl_AnswersTheReferenceErrors()
    {
        using var badToken = await PostAsync(_host.EndpointUri + "wpush/v1/notatoken", "x");
        var (_, endpoint) = await RegisterAndLeaveAsync(Guid.NewGuid());
        using var noTtl = await PostAsync(endpoint, "x", ttl: null);

        Assert.Equal(HttpStatusCode.NotFound, badToken.StatusCode);
        Assert.Equal(102, (int)JsonNode.Parse(await badToken.Content.ReadAsStringAsync())!["errno"]!);
        Assert.Equal(HttpStatusCode.BadRequest, noTtl.StatusCode);
        Assert.Equal(111, (int)JsonNode.Parse(await noTtl.Content.ReadAsStringAsync())!["errno"]!);
    }

    [Fact]
    public async Task DeleteMessage_StoredMessage_IsNotDelivered()
    {
        var (uaid, endpoint) = await RegisterAndLeaveAsync(Guid.NewGuid());
        using var post = await PostAsync(endpoint, "regret");

        using var delete = await _http.DeleteAsync(post.Headers.Location);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync(uaid);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task RegistrationApi_WithoutAuthKeys_IsOffCleanly()
    {
        using var content = new StringContent("{\"token\":\"x\"}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(_host.EndpointUri, "v1/webpush/app/registration"), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("auth_keys", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthRoutes_BothConnectPortsAndTheEndpoint()
    {
        foreach (var baseUri in new[] { new Uri($"http://127.0.0.1:{_host.WebSocketUri.Port}/"), _host.InternalUri, _host.EndpointUri })
        {
            using var health = await _http.GetAsync(new Uri(baseUri, "health"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("OK", (string)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["status"]!);
            using var lb = await _http.GetAsync(new Uri(baseUri, "__lbheartbeat__"));
            Assert.Equal(HttpStatusCode.OK, lb.StatusCode);
        }

        using var unknown = await _http.GetAsync(new Uri(_host.EndpointUri, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await unknown.Content.ReadAsByteArrayAsync());
    }

    private async Task<string> RegisteredUaidAsync(Guid channel) => (await RegisterAndLeaveAsync(channel)).Uaid;

    private async Task<(string Uaid, string Endpoint)> RegisterAndLeaveAsync(Guid channel)
    {
        await using var client = await _host.ConnectAsync();
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        return (uaid, endpoint);
    }

    private async Task<int> StoredCountAsync(string uaid)
    {
        var grain = _host.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<Push.Grains.IClientGrain>(Guid.ParseExact(uaid, "N"));
        return (await grain.FetchAsync(0, 100)).Count;
    }

    private async Task<HttpResponseMessage> PostAsync(string endpoint, string body, string? ttl = "60", string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (ttl is not null)
        {
            request.Headers.Add("TTL", ttl);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Content.Headers.Add("Content-Encoding", "aes128gcm");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await _http.SendAsync(request);
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
