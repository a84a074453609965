using System.Net;

namespace Push.EndpointFrontend.Tests.Overload;

/// <summary>The optional per-subscription rate limit: 429 with <c>Retry-After</c>, one bucket per endpoint.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["PUSH__RATE_LIMIT_PER_MINUTE"] = "6",
            ["PUSH__RATE_LIMIT_BURST"] = "3",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Push_BeyondTheBurst_Is429WithRetryAfter_OtherSubscriptionsUnaffected()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var busy = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        var quiet = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;

        for (var i = 0; i < 3; i++)
        {
            using var accepted = await _http.PushAsync(busy, $"m{i}", PushHttp.Aes128Gcm());
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        using var limited = await _http.PushAsync(busy, "one too many", PushHttp.Aes128Gcm());
        using var other = await _http.PushAsync(quiet, "elsewhere", PushHttp.Aes128Gcm());

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        var body = await limited.JsonAsync();
        Assert.Equal(429, (int)body["code"]!);
        Assert.Null(body["errno"]);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 10);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
}
