using System.Net;
using Push.Shared.Logging;
using Push.Testing.Streams;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>
/// An ack the store could not take while the client was connected is not lost when the client leaves:
/// the frontend applies it once the store is back, and the message does not come again.
/// </summary>
public sealed class SessionEndAckTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private RestartableStore _store = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _store = await RestartableStore.StartAsync();
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["PUSH__DB_DSN"] = _store.Dsn }, _logs);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        // The store must be up while Push shuts down, or it waits out its store timeouts.
        await _store.StartAgainIfStoppedAsync();
        await _host.DisposeAsync();
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Ack_FailedWhileTheStoreWasDown_AppliedAfterTheClientLeft_MessageNotSentAgain()
    {
        var channel = Guid.NewGuid();
        string uaid, endpoint;
        await using (var client = await _host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
            using (var pushed = await _http.PushAsync(endpoint, "acked while the store was down", PushHttp.Aes128Gcm("3600")))
            {
                Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            }

            var version = (string)(await client.NotificationAsync())["version"]!;
            await _store.StopAsync();
            await client.AckAsync(channel.ToString(), version);
            await WaitForLogAsync("Grain call 'ack' failed", "the ack to fail");
        }

        await WaitForLogAsync("Session uaid_hash=" + LogIds.Hash(Guid.ParseExact(uaid, "N")), "the session to end");
        // Refused only once the store's client gave up the commands queued before it: the ack's own
        // attempts (which a store back in time would still have run) are over as well.
        using (var refused = await _http.PushAsync(endpoint, "refused", PushHttp.Aes128Gcm("3600")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        await _store.StartAgainAsync();
        await WaitForLogAsync("acknowledged message(s) of ended sessions", "the frontend to apply the ack");

        await using var again = await _host.ConnectAsync();
        await again.HelloAsync(uaid);
        using (var pushed = await _http.PushAsync(endpoint, "after the outage", PushHttp.Aes128Gcm("3600")))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        Assert.Equal(PushHttp.Base64Url("after the outage"), (string)(await again.NotificationAsync())["data"]!);
    }

    private Task WaitForLogAsync(string text, string what) =>
        Eventually.WaitAsync(() => _logs.Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal)), Wait, what);
}
