using System.Net;
using System.Net.Http.Json;

namespace Push.EndpointFrontend.Tests.Registration;

/// <summary>The registration API refuses a channel beyond <c>max_channels</c> (here 2).</summary>
public sealed class ChannelLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOEND__AUTH_KEYS"] = $"[{EndpointHostFixture.AuthKey}]",
            ["PUSH__MAX_CHANNELS"] = "2",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AddSubscription_BeyondTheLimit_Is400AndKeepsTheOthers()
    {
        using var created = await _http.PostAsJsonAsync(new Uri(_host.EndpointUri, "v1/webpush/app/registration"), new { token = "any" });
        var body = await created.JsonAsync();
        var uaid = Guid.Parse((string)body["uaid"]!).ToString("N");
        var secret = (string)body["secret"]!;

        using var second = await AddSubscriptionAsync(uaid, secret);
        using var third = await AddSubscriptionAsync(uaid, secret);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, third.StatusCode);
        Assert.Null(await third.ErrnoAsync());
        using var push = await _http.PushAsync((string)body["endpoint"]!, "x", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
    }

    private async Task<HttpResponseMessage> AddSubscriptionAsync(string uaid, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.EndpointUri, $"v1/webpush/app/registration/{uaid}/subscription"));
        request.Headers.TryAddWithoutValidation("Authorization", "WebPush " + secret);
        request.Content = JsonContent.Create(new { });
        return await _http.SendAsync(request);
    }
}
