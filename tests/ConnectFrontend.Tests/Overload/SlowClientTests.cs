using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Push.ConnectFrontend.Tests.Overload;

/// <summary>
/// A client that stops reading while pushes keep coming: the frontend holds at most
/// <c>client_channel_capacity</c> of its messages in flight, everything else waits in storage, other
/// clients are served as usual, and nothing is lost when it reads again.
/// </summary>
public sealed class SlowClientTests : IAsyncLifetime
{
    private const int Capacity = 16;
    private const int Pushes = 600;
    private const byte Text = 0x1, Ping = 0x9, Pong = 0xA;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__CLIENT_CHANNEL_CAPACITY"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AUTOCONNECT__MSG_LIMIT"] = "5000",
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Client_StopsReading_InFlightBoundedOthersServedNothingLost()
    {
        var (slow, _) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        using var _s = slow;
        await slow.SendTextAsync("{\"messageType\":\"hello\",\"use_webpush\":true}");
        await ReadJsonAsync(slow);
        var channel = Guid.NewGuid().ToString();
        await slow.SendTextAsync($"{{\"messageType\":\"register\",\"channelID\":\"{channel}\"}}");
        var endpoint = (string)(await ReadJsonAsync(slow))["pushEndpoint"]!;
        await using var other = await _host.ConnectAsync();
        await other.HelloAsync();
        var otherEndpoint = (string)(await other.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;

        // The slow client reads nothing from here on.
        var payload = new string('x', 3000);
        for (var i = 0; i < Pushes; i++)
        {
            using var response = await _http.PushAsync(endpoint, $"{i:D4}{payload}", PushHttp.Aes128Gcm("3600"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        using (var response = await _http.PushAsync(otherEndpoint, "unaffected", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(PushHttp.Base64Url("unaffected"), (string)(await other.NotificationAsync())["data"]!);

        // Reading again: exactly the window arrives before any ack, then the rest as acks free it.
        var received = new HashSet<string>(StringComparer.Ordinal);
        var beforeFirstAck = await ReadNotificationsAsync(slow, received, TimeSpan.FromSeconds(2));
        Assert.Equal(Capacity, beforeFirstAck.Count);
        var pending = new Queue<JsonObject>(beforeFirstAck);
        while (pending.Count > 0 && received.Count <= Pushes)
        {
            var message = pending.Dequeue();
            await slow.SendTextAsync($"{{\"messageType\":\"ack\",\"updates\":[{{\"channelID\":\"{channel}\",\"version\":\"{(string)message["version"]!}\"}}]}}");
            if (pending.Count == 0)
            {
                foreach (var next in await ReadNotificationsAsync(slow, received, TimeSpan.FromSeconds(5)))
                {
                    pending.Enqueue(next);
                }
            }
        }

        Assert.Equal(Pushes, received.Count);
    }

    /// <summary>Notifications that arrive until the line is quiet for <paramref name="quiet"/> (pings answered).</summary>
    private static async Task<List<JsonObject>> ReadNotificationsAsync(RawWebSocket socket, HashSet<string> received, TimeSpan quiet)
    {
        var notifications = new List<JsonObject>();
        while (true)
        {
            (byte Opcode, byte[] Payload)? frame;
            try
            {
                frame = await socket.ReadFrameAsync(quiet);
            }
            catch (OperationCanceledException)
            {
                return notifications;
            }

            Assert.NotNull(frame);
            if (frame.Value.Opcode == Ping)
            {
                await socket.SendFrameAsync(Pong, frame.Value.Payload);
                continue;
            }

            Assert.Equal(Text, frame.Value.Opcode);
            var message = JsonNode.Parse(Encoding.UTF8.GetString(frame.Value.Payload))!.AsObject();
            if ((string?)message["messageType"] == "notification")
            {
                var data = Encoding.UTF8.GetString(PushHttp.FromBase64Url((string)message["data"]!));
                received.Add(data[..4]);
                notifications.Add(message);
            }
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(RawWebSocket socket)
    {
        var frame = await socket.ReadFrameAsync(Wait);
        Assert.NotNull(frame);
        return JsonNode.Parse(Encoding.UTF8.GetString(frame.Value.Payload))!.AsObject();
    }
}
