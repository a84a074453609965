using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Push.EndpointFrontend.Tests.WebPush;
using Push.Silo.Store;

namespace Push.EndpointFrontend.Tests.Hosting;

/// <summary>
/// With the store gone, a push is refused with 503 (errno 201), never answered 201; once the store is
/// back the service recovers by itself.
/// </summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _storeData = new();
    private readonly HttpClient _http = new();
    private EmbeddedGarnet? _store;
    private int _storePort;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _store = EmbeddedGarnet.Start(_storeData.Path, "64m", NullLoggerFactory.Instance);
        _storePort = _store.Port;
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["PUSH__DB_DSN"] = $"redis://{_store.ConnectionString}" });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _store?.Dispose();
        _data.Dispose();
        _storeData.Dispose();
    }

    [Fact]
    public async Task Post_StoreDown_Is503Errno201WithRetryAfter()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        using (var before = await _http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        _store!.Dispose();
        _store = null;

        using var during = await _http.PushAsync(endpoint, "y", PushHttp.Aes128Gcm());
        await WebPushErrnoTests.AssertError(during, HttpStatusCode.ServiceUnavailable, 201, null);
        Assert.Equal("120", during.Headers.GetValues("Retry-After").Single());
        using var health = await _http.GetAsync(new Uri(_host.EndpointUri, "health"));
        var report = await health.JsonAsync();
        Assert.Equal("ERROR", (string)report["status"]!);
        // Health routes are public: they say the store is down, never where it is.
        Assert.DoesNotContain(_storePort.ToString(System.Globalization.CultureInfo.InvariantCulture), report.ToJsonString(), StringComparison.Ordinal);

        _store = EmbeddedGarnet.Start(_storeData.Path, "64m", NullLoggerFactory.Instance, _storePort);
        await Eventually.WaitAsync(
            async () =>
            {
                using var after = await _http.PushAsync(endpoint, "z", PushHttp.Aes128Gcm());
                return after.StatusCode;
            },
            status => status == HttpStatusCode.Created,
            TimeSpan.FromSeconds(60),
            "a push to be accepted again after the store came back");
    }
}
