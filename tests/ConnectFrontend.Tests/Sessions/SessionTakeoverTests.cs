using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Sessions;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>
/// A newer connection of the same user closes the older one at once, even when the older session's
/// queue is full (its client stopped reading while pushes kept coming): the takeover is never dropped
/// for lack of room and left to the next renewal, half a minute later.
/// </summary>
public sealed class SessionTakeoverTests : IAsyncLifetime
{
    // About 8 MB, twice what the kernel and Kestrel buffer for one connection at most: the older
    // session's loop blocks on a send and its queue fills.
    private const int Pushes = 1500;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOCONNECT__CLIENT_CHANNEL_CAPACITY"] = "1" });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task NewerConnection_OlderSessionsQueueFull_OlderClosedWithoutWaitingForARenewal()
    {
        var (older, _) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port, receiveBufferBytes: 4096);
        using var _o = older;
        await older.SendTextAsync("{\"messageType\":\"hello\",\"use_webpush\":true}");
        var uaid = (string)(await ReadJsonAsync(older))["uaid"]!;
        var hello = Stopwatch.StartNew();
        await older.SendTextAsync($"{{\"messageType\":\"register\",\"channelID\":\"{Guid.NewGuid()}\"}}");
        var endpoint = (string)(await ReadJsonAsync(older))["pushEndpoint"]!;

        // The older client reads nothing from here on. TTL 0: each push goes to its session's queue.
        var payload = new string('x', 4000);
        await Parallel.ForAsync(0, Pushes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            using var response = await _http.PushAsync(endpoint, payload, PushHttp.Aes128Gcm("0"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });

        await using var newer = await _host.ConnectAsync();
        Assert.Equal(uaid, (string)(await newer.HelloAsync(uaid))["uaid"]!);

        // Reading again, the older client finds the close after what the server had already queued.
        var close = await older.ReadCloseAsync(Wait).WaitAsync(Wait);
        var closedAfter = hello.Elapsed;

        Assert.Equal(((ushort)1011, "SM"), close);
        Assert.True(closedAfter < _host.Host.Services.GetRequiredService<ConnectFrontendOptions>().RenewInterval,
            $"closed {closedAfter.TotalSeconds:0.0} s after hello: at a renewal, not at the takeover");
    }

    private static async Task<JsonObject> ReadJsonAsync(RawWebSocket socket)
    {
        var frame = await socket.ReadFrameAsync(Wait);
        Assert.NotNull(frame);
        return JsonNode.Parse(Encoding.UTF8.GetString(frame.Value.Payload))!.AsObject();
    }
}
