using System.Diagnostics;
using System.Net;
using System.Text;

namespace Push.ConnectFrontend.Tests.Overload;

/// <summary>
/// A flood of requests on the push API (bad tokens and real pushes) while a client is connected: its
/// keep-alive pings keep coming on time and its own pushes still arrive promptly.
/// </summary>
public sealed class RequestFloodTests : IAsyncLifetime
{
    private const byte Text = 0x1, Ping = 0x9, Pong = 0xA;
    private static readonly TimeSpan FloodFor = TimeSpan.FromSeconds(8);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__AUTO_PING_INTERVAL"] = "1",
            ["AUTOCONNECT__AUTO_PING_TIMEOUT"] = "3",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task EndpointFlood_ClientPingsAndPushesKeepFlowing()
    {
        await using var target = await _host.ConnectAsync();
        await target.HelloAsync();
        var floodEndpoint = (string)(await target.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        var (watcher, _) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        using var _w = watcher;
        await watcher.SendTextAsync("{\"messageType\":\"hello\",\"use_webpush\":true}");
        await watcher.ReadFrameAsync(TimeSpan.FromSeconds(10));
        await watcher.SendTextAsync($"{{\"messageType\":\"register\",\"channelID\":\"{Guid.NewGuid()}\"}}");
        var register = await watcher.ReadFrameAsync(TimeSpan.FromSeconds(10));
        var watcherEndpoint = (string)System.Text.Json.Nodes.JsonNode.Parse(register!.Value.Payload)!["pushEndpoint"]!;
        var badToken = new Uri(new Uri(floodEndpoint), "/wpush/v1/" + new string('A', 140)).ToString();

        using var stop = new CancellationTokenSource(FloodFor);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
        var flood = Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await _http.PushAsync(worker % 2 == 0 ? badToken : floodEndpoint, "flood", PushHttp.Aes128Gcm());
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            }
        })).ToList();

        // Meanwhile: answer every ping, time the gaps between them, and time a push to this client.
        var clock = Stopwatch.StartNew();
        var pings = new List<TimeSpan>();
        TimeSpan? pushSentAt = null, pushArrivedAt = null;
        while (clock.Elapsed < FloodFor)
        {
            if (pushSentAt is null && clock.Elapsed > TimeSpan.FromSeconds(3))
            {
                pushSentAt = clock.Elapsed;
                _ = _http.PushAsync(watcherEndpoint, "through the flood", PushHttp.Aes128Gcm());
            }

            var frame = await watcher.ReadFrameAsync(TimeSpan.FromSeconds(5));
            Assert.NotNull(frame);
            if (frame.Value.Opcode == Ping)
            {
                pings.Add(clock.Elapsed);
                await watcher.SendFrameAsync(Pong, frame.Value.Payload);
            }
            else if (frame.Value.Opcode == Text && Encoding.UTF8.GetString(frame.Value.Payload).Contains("notification", StringComparison.Ordinal))
            {
                pushArrivedAt ??= clock.Elapsed;
            }
        }

        await Task.WhenAll(flood);
        var gaps = pings.Zip(pings.Skip(1), (a, b) => b - a).ToList();
        var served = statuses.Values.Sum();

        Assert.True(served > 500, $"the flood only made {served} requests");
        Assert.DoesNotContain(statuses.Keys, status => (int)status >= 500);
        Assert.True(pings.Count >= 5, $"only {pings.Count} pings in {FloodFor}");
        Assert.All(gaps, gap => Assert.True(gap < TimeSpan.FromSeconds(2.5), $"a ping came {gap} after the previous one"));
        Assert.NotNull(pushArrivedAt);
        Assert.True(pushArrivedAt - pushSentAt < TimeSpan.FromSeconds(2), $"the push took {pushArrivedAt - pushSentAt}");
    }
}
