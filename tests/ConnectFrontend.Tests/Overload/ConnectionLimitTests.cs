using System.Net;

namespace Push.ConnectFrontend.Tests.Overload;

/// <summary>
/// <c>actix_max_connections</c> caps the WebSockets of one frontend: excess upgrades are refused with
/// 503 and <c>Retry-After</c> before any session starts, and the open ones are not disturbed.
/// </summary>
public sealed class ConnectionLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__ACTIX_MAX_CONNECTIONS"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Upgrade_BeyondTheLimit_Is503WithRetryAfter_AndOpenSessionsKeepWorking()
    {
        var clients = new List<PushTestClient>();
        for (var i = 0; i < Limit; i++)
        {
            var client = await _host.ConnectAsync();
            await client.HelloAsync();
            clients.Add(client);
        }

        var endpoint = (string)(await clients[0].RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        var (refused, response) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        refused.Dispose();

        Assert.StartsWith("HTTP/1.1 503", response, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 10", response, StringComparison.OrdinalIgnoreCase);
        using (var push = await _http.PushAsync(endpoint, "still here", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        Assert.Equal(PushHttp.Base64Url("still here"), (string)(await clients[0].NotificationAsync())["data"]!);

        // A closed session frees its place.
        await clients[2].DisposeAsync();
        clients.RemoveAt(2);
        var accepted = await Eventually.WaitAsync(
            async () =>
            {
                var (socket, answer) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
                socket.Dispose();
                return answer;
            },
            answer => answer.StartsWith("HTTP/1.1 101", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "a place to free up");
        Assert.StartsWith("HTTP/1.1 101", accepted, StringComparison.Ordinal);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
