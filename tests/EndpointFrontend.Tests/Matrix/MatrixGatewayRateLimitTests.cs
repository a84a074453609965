using System.Net;
using System.Net.Http.Json;

namespace Push.EndpointFrontend.Tests.Matrix;

/// <summary>The gateway obeys the per-subscription rate limit (here one push, no refill in the test's time).</summary>
public sealed class MatrixGatewayRateLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["PUSH__RATE_LIMIT_PER_MINUTE"] = "1",
            ["PUSH__RATE_LIMIT_BURST"] = "1",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Post_OverTheRateLimit_DropsWithoutRejectingThePushkey()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        var notify = new Uri(_host.EndpointUri, "_matrix/push/v1/notify");

        using var first = await _http.PostAsJsonAsync(notify, MatrixGatewayTests.Notification("$one", endpoint));
        await client.NotificationAsync();
        using var second = await _http.PostAsJsonAsync(notify, MatrixGatewayTests.Notification("$two", endpoint));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Empty((await second.JsonAsync())["rejected"]!.AsArray());
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }
}
