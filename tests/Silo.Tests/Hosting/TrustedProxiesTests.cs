using System.Net;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// Behind a reverse proxy (the seed's nginx sets X-Forwarded-For and X-Forwarded-Proto): the headers
/// are believed from a proxy in <c>trusted_proxies</c> (by default this machine), and ignored from
/// anyone else.
/// </summary>
public sealed class TrustedProxiesTests : IDisposable
{
    /// <summary>What nginx's <c>$proxy_add_x_forwarded_for</c> sends: the client's own claim, then the address nginx saw.</summary>
    private static readonly Dictionary<string, string> Forwarded = new()
    {
        ["X-Forwarded-For"] = "198.51.100.1, 203.0.113.7",
        ["X-Forwarded-Proto"] = "https",
    };

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(null, "203.0.113.7")]
    [InlineData("10.0.0.0/8, 192.0.2.1", "127.0.0.1")]
    [InlineData("", "127.0.0.1")]
    [InlineData("127.0.0.1, 203.0.113.0/24", "198.51.100.1")]
    public async Task Session_FromAProxy_LogsTheForwardedClientOnlyWhenTheProxyIsTrusted(string? trustedProxies, string client)
    {
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string?> { ["PUSH__TRUSTED_PROXIES"] = trustedProxies };
        await using var host = await TestHost.StartAsync(_data.Path, trustedProxies is null ? null : settings, logs);

        await using (var phone = await PushTestClient.ConnectAsync(host.WebSocketUri, Forwarded))
        {
            await phone.HelloAsync();
        }

        // The session's line names the client: the address nginx saw, never the one the client claimed.
        await Eventually.WaitAsync(() => logs.Entries.Any(e => e.Message.StartsWith("Session ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the session's log line");
        var session = logs.Entries.Single(e => e.Message.StartsWith("Session ", StringComparison.Ordinal)).Message;
        Assert.EndsWith($" remote_ip={client}", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BehindTheSeedsNginx_LogsTheClientAndHandsOutThePublicUrls()
    {
        // The notes' public URL; nginx on this machine is the only proxy believed.
        var logs = new CapturedLogs();
        await using var host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__ENDPOINT_SCHEME"] = "https",
            ["AUTOCONNECT__ENDPOINT_HOSTNAME"] = "push-api.example.com",
            ["AUTOCONNECT__ENDPOINT_PORT"] = "443",
            ["PUSH__TRUSTED_PROXIES"] = "127.0.0.1",
        }, logs);
        using var nginxDir = new TempDirectory();
        var connectPort = host.Host.Configuration.Connect.Port;
        var endpointPort = host.Host.Configuration.Endpoint.Port;
        await using var nginx = await NginxProxy.StartAsync(nginxDir.Path, connectPort, endpointPort);

        // A phone at 127.0.0.2 that claims another address; nginx appends the one it saw.
        string endpoint;
        await using (var phone = await PushTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{nginx.PortFor(connectPort)}/"), new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.1" }, IPAddress.Parse("127.0.0.2")))
        {
            await phone.HelloAsync();
            endpoint = (string)(await phone.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        }

        await Eventually.WaitAsync(() => logs.Entries.Any(e => e.Message.StartsWith("Session ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the session's log line");
        Assert.EndsWith(" remote_ip=127.0.0.2", logs.Entries.Single(e => e.Message.StartsWith("Session ", StringComparison.Ordinal)).Message, StringComparison.Ordinal);

        // A sender reaches the push API through nginx by its public name; every URL says that name.
        Assert.StartsWith("https://push-api.example.com/wpush/", endpoint, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.PushAsync($"http://127.0.0.1:{nginx.PortFor(endpointPort)}{new Uri(endpoint).PathAndQuery}", "via nginx", [.. PushHttp.Aes128Gcm(), ("Host", "push-api.example.com")]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("https://push-api.example.com/m/", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
