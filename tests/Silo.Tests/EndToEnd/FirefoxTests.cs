using System.Net;
using System.Text;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Push.Testing;

namespace Push.Silo.Tests.EndToEnd;

/// <summary>
/// Firefox, the Mozilla Push protocol's reference client, against the real single-process host: a page
/// subscribes through the Push API, a real sender library (Lib.Net.Http.WebPush) encrypts with aes128gcm
/// and signs with VAPID, and Firefox's service worker gets the decrypted bytes.
/// The host's public URL has the default port, as behind a reverse proxy (see <see cref="DefaultPortProxy"/>).
/// </summary>
public sealed class FirefoxTests : IAsyncLifetime
{
    // Generous: Firefox starts slowly on a small, busy machine.
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _data = new();
    private readonly TempDirectory _profile = new();
    private readonly VapidSigner _app = new();
    private TestHost _host = null!;
    private TestSite _site = null!;
    private DefaultPortProxy _proxy = null!;
    private HttpClient _viaProxy = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOEND__ENDPOINT_URL"] = "http://127.0.0.1" });
        _site = await TestSite.StartAsync();
        _proxy = new DefaultPortProxy(_host.EndpointUri.Port);
        _viaProxy = new HttpClient(_proxy);
    }

    public async Task DisposeAsync()
    {
        _viaProxy.Dispose();
        await _site.DisposeAsync();
        await _host.DisposeAsync();
        _app.Dispose();
        _profile.Dispose();
        _data.Dispose();
    }

    [FirefoxFact]
    public async Task Subscribe_SenderLibraryPushes_ServiceWorkerGetsExactlyTheBytesSent()
    {
        await using var firefox = await LaunchFirefoxAsync();
        var subscription = await firefox.SubscribeAsync(_app.PublicKey);
        Assert.StartsWith("http://127.0.0.1/wpush/v2/", subscription.Endpoint, StringComparison.Ordinal);
        byte[][] payloads =
        [
            Encoding.UTF8.GetBytes("hello from the app server"),
            Encoding.UTF8.GetBytes("non-ASCII: é ü 中文 🚀"),
            [0x00],
            RandomBytes(3993, seed: 1), // the largest that fits in 4096 bytes of aes128gcm
        ];

        foreach (var payload in payloads)
        {
            Assert.Equal(HttpStatusCode.Created, await SendAsync(subscription, payload));
        }

        var received = await WaitForAsync(firefox, payloads.Length);
        Assert.Equal(Sorted(payloads), Sorted(received));
        Assert.All(_proxy.ContentEncodings, encoding => Assert.Equal("aes128gcm", encoding));
    }

    [FirefoxFact]
    public async Task Push_WhileFirefoxIsClosed_ArrivesWhenItStartsAgainWithTheSameProfile()
    {
        PushSubscription subscription;
        await using (var firefox = await LaunchFirefoxAsync())
        {
            subscription = await firefox.SubscribeAsync(_app.PublicKey);
            await firefox.CloseAsync();
        }

        var payload = Encoding.UTF8.GetBytes("sent while Firefox was closed");
        Assert.Equal(HttpStatusCode.Created, await SendAsync(subscription, payload));

        await using var again = await LaunchFirefoxAsync();
        var received = await WaitForAsync(again, 1);
        Assert.Equal(payload, Assert.Single(received));
        Assert.Equal(subscription.Endpoint, await again.EndpointAsync());
    }

    [FirefoxFact]
    public async Task Unsubscribe_ThenPush_EndpointAnswers410()
    {
        await using var firefox = await LaunchFirefoxAsync();
        var subscription = await firefox.SubscribeAsync(_app.PublicKey);
        Assert.Equal(HttpStatusCode.Created, await SendAsync(subscription, Encoding.UTF8.GetBytes("before")));
        await WaitForAsync(firefox, 1);

        Assert.True(await firefox.UnsubscribeAsync());

        // Firefox tells Push over its WebSocket after unsubscribe() resolves: wait for Push to have it.
        await Eventually.WaitAsync(() => SendAsync(subscription, Encoding.UTF8.GetBytes("after")), status => status == HttpStatusCode.Gone, Arrival, "the endpoint to answer 410");
    }

    private Task<FirefoxPushClient> LaunchFirefoxAsync() => FirefoxPushClient.LaunchAsync(_host.WebSocketUri, _profile.Path, _site.Uri);

    private async Task<HttpStatusCode> SendAsync(PushSubscription subscription, byte[] payload)
    {
        var sender = new PushServiceClient(_viaProxy);
        var message = new PushMessage(new ByteArrayContent(payload)) { TimeToLive = 600 };
        try
        {
            await sender.RequestPushMessageDeliveryAsync(subscription, message, new VapidAuthentication(_app.PublicKey, _app.PrivateKey) { Subject = "mailto:ops@example.com" });
            return HttpStatusCode.Created;
        }
        catch (PushServiceClientException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<IReadOnlyList<byte[]>> WaitForAsync(FirefoxPushClient firefox, int count) =>
        await Eventually.WaitAsync(firefox.ReceivedAsync, received => received.Count >= count, Arrival, $"the service worker to receive {count} push(es)");

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static List<string> Sorted(IEnumerable<byte[]> payloads) => [.. payloads.Select(Convert.ToHexString).Order(StringComparer.Ordinal)];
}
