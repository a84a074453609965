using System.Net;
using System.Text;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>Registrations and stored messages outlive the process: a clean restart, and a kill -9.</summary>
public sealed class PushHostRestartTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Restart_InProcess_KeepsRegistrationsAndStoredMessages()
    {
        var host = await TestHost.StartAsync(_data.Path);
        var environment = new Dictionary<string, string?>(host.Environment);
        var channel = Guid.NewGuid();
        string uaid, endpoint;
        try
        {
            (uaid, endpoint) = await RegisterAsync(host.WebSocketUri, channel);
            using var stored = await PostAsync(endpoint, "kept");
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }

        await using var restarted = await TestHost.StartWithEnvironmentAsync(environment, _data.Path);
        await using var client = await restarted.ConnectAsync();
        Assert.Equal(uaid, (string)(await client.HelloAsync(uaid))["uaid"]!);
        Assert.Equal(Base64Url("kept"), (string)(await client.NotificationAsync())["data"]!);
        using var live = await PostAsync(endpoint, "after restart");
        Assert.Equal(HttpStatusCode.Created, live.StatusCode);
        Assert.Equal(Base64Url("after restart"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task Restart_AfterKill9_DeliversEveryAcceptedMessage()
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__HUMAN_LOGS"] = "true" });
        var wsPort = int.Parse(environment["AUTOCONNECT__PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        var ws = new Uri($"ws://127.0.0.1:{wsPort}/");
        var channel = Guid.NewGuid();
        string uaid, endpoint;
        await using (var first = PushProcess.Start(environment))
        {
            await first.WaitUntilHealthyAsync(wsPort, StartTimeout);
            (uaid, endpoint) = await RegisterAsync(ws, channel);
            for (var i = 0; i < 5; i++)
            {
                using var accepted = await PostAsync(endpoint, $"message {i}");
                Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            }

            // No graceful shutdown: whatever got a 201 must already be on disk.
            await first.KillAsync();
        }

        await using var second = PushProcess.Start(environment);
        await second.WaitUntilHealthyAsync(wsPort, StartTimeout);
        await using var client = await PushTestClient.ConnectAsync(ws);
        Assert.Equal(uaid, (string)(await client.HelloAsync(uaid))["uaid"]!);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Base64Url($"message {i}"), (string)(await client.NotificationAsync())["data"]!);
        }
    }

    /// <summary>
    /// The store syncs in groups, after its reply: a 201 must still wait for the sync that covers it.
    /// Pushes stream from many senders while the process is killed, so some are mid-write.
    /// </summary>
    [Fact]
    public async Task Restart_Kill9UnderLoad_DeliversEveryAcceptedMessage()
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__HUMAN_LOGS"] = "true" });
        var wsPort = int.Parse(environment["AUTOCONNECT__PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        var ws = new Uri($"ws://127.0.0.1:{wsPort}/");
        var users = new List<(string Uaid, string Endpoint)>();
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await using (var first = PushProcess.Start(environment))
        {
            await first.WaitUntilHealthyAsync(wsPort, StartTimeout);
            for (var i = 0; i < 8; i++)
            {
                users.Add(await RegisterAsync(ws, Guid.NewGuid()));
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var senders = Enumerable.Range(0, 16).Select(s => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var user = (s + n) % users.Count;
                    var body = $"{s}-{n}";
                    try
                    {
                        using var answer = await PostAsync(users[user].Endpoint, body);
                        if (answer.StatusCode == HttpStatusCode.Created)
                        {
                            accepted[body] = user;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToArray();

            // Kill while the stream runs, not after it: writes are in flight at that moment.
            await Eventually.WaitAsync(() => accepted.Count >= 400, TimeSpan.FromSeconds(60), "400 accepted pushes");
            await first.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        await using var second = PushProcess.Start(environment);
        await second.WaitUntilHealthyAsync(wsPort, StartTimeout);
        for (var user = 0; user < users.Count; user++)
        {
            var expected = accepted.Where(a => a.Value == user).Select(a => Base64Url(a.Key)).ToHashSet();
            await using var client = await PushTestClient.ConnectAsync(ws);
            Assert.Equal(users[user].Uaid, (string)(await client.HelloAsync(users[user].Uaid))["uaid"]!);
            while (expected.Count > 0)
            {
                var notification = await client.NotificationAsync();
                expected.Remove((string)notification["data"]!);
                await client.AckAsync((string)notification["channelID"]!, (string)notification["version"]!);
            }
        }
    }

    [Fact]
    public async Task Sigterm_ClosesSocketsWithGoingAwayAndExitsCleanly()
    {
        var environment = TestHost.NewEnvironment(_data.Path);
        var wsPort = int.Parse(environment["AUTOCONNECT__PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        await using var process = PushProcess.Start(environment);
        await process.WaitUntilHealthyAsync(wsPort, StartTimeout);
        await using var client = await PushTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{wsPort}/"));
        await client.HelloAsync();

        process.Terminate();

        // 1001 (going away): clients reconnect at once, to another node behind the load balancer.
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "Shutdown"), await client.ExpectCloseAsync(TimeSpan.FromSeconds(15)));
        await process.WaitForExitAsync(TimeSpan.FromSeconds(45));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Start_BadSetting_ExitsWithOneLineNamingIt()
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__AUTO_PING_INTERVAL"] = "soon" });

        await using var process = PushProcess.Start(environment);
        await process.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, process.ExitCode);
        var output = process.Output.Trim();
        Assert.Single(output.Split('\n'));
        Assert.Contains("auto_ping_interval (AUTOCONNECT__AUTO_PING_INTERVAL)", output, StringComparison.Ordinal);
    }

    private static async Task<(string Uaid, string Endpoint)> RegisterAsync(Uri ws, Guid channel)
    {
        await using var client = await PushTestClient.ConnectAsync(ws);
        var uaid = (string)(await client.HelloAsync())["uaid"]!;
        var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        return (uaid, endpoint);
    }

    private async Task<HttpResponseMessage> PostAsync(string endpoint, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Headers.Add("TTL", "3600");
        request.Content.Headers.Add("Content-Encoding", "aes128gcm");
        return await _http.SendAsync(request);
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
