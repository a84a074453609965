using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace Push.EndpointFrontend.Tests.WebPush;

/// <summary>
/// A real sender library (Lib.Net.Http.WebPush) encrypts with aes128gcm and signs with VAPID; the test's
/// client decrypts what arrives (RFC 8291) and compares the bytes.
/// The host is set up as in production behind a reverse proxy (see <see cref="DefaultPortProxy"/>).
/// </summary>
public sealed class SenderLibraryTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;
    private HttpClient _viaProxy = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOEND__ENDPOINT_URL"] = "http://127.0.0.1" });
        _viaProxy = new HttpClient(new DefaultPortProxy(_host.EndpointUri.Port));
    }

    public async Task DisposeAsync()
    {
        _viaProxy.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(3993)]
    public async Task RequestPushMessageDelivery_V2Endpoint_ClientDecryptsTheSameBytes(int size)
    {
        using var app = new VapidSigner();
        using var receiver = new WebPushReceiver();
        var (client, endpoint) = await SubscribeAsync(app.PublicKey);
        await using var _c = client;
        var plaintext = new byte[size];
        new Random(size).NextBytes(plaintext);
        var sender = new PushServiceClient(_viaProxy);

        await sender.RequestPushMessageDeliveryAsync(Subscription(endpoint, receiver), new PushMessage(new ByteArrayContent(plaintext)) { TimeToLive = 300 },
            new VapidAuthentication(app.PublicKey, app.PrivateKey) { Subject = "mailto:ops@example.com" });

        var notification = await client.NotificationAsync();
        Assert.Equal("aes128gcm", (string)notification["headers"]!["encoding"]!);
        var body = PushHttp.FromBase64Url((string)notification["data"]!);
        Assert.Equal(plaintext, receiver.Decrypt(body));
    }

    [Fact]
    public async Task RequestPushMessageDelivery_WrongVapidKey_Is401()
    {
        using var app = new VapidSigner();
        using var impostor = new VapidSigner();
        using var receiver = new WebPushReceiver();
        var (client, endpoint) = await SubscribeAsync(app.PublicKey);
        await using var _c = client;
        var sender = new PushServiceClient(_viaProxy);

        var e = await Assert.ThrowsAsync<PushServiceClientException>(() => sender.RequestPushMessageDeliveryAsync(
            Subscription(endpoint, receiver), new PushMessage("hi") { TimeToLive = 60 }, new VapidAuthentication(impostor.PublicKey, impostor.PrivateKey) { Subject = "mailto:x@example.com" }));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    private async Task<(PushTestClient Client, string Endpoint)> SubscribeAsync(string key)
    {
        var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid(), key))["pushEndpoint"]!;
        Assert.StartsWith("http://127.0.0.1/wpush/v2/", endpoint, StringComparison.Ordinal);
        return (client, endpoint);
    }

    private static PushSubscription Subscription(string endpoint, WebPushReceiver receiver)
    {
        var subscription = new PushSubscription { Endpoint = endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, PushHttp.Base64Url(receiver.PublicKey));
        subscription.SetKey(PushEncryptionKeyName.Auth, PushHttp.Base64Url(receiver.AuthSecret));
        return subscription;
    }
}
