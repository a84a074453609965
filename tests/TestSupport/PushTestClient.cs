using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Push.Testing;

/// <summary>A Mozilla Push protocol client over a real WebSocket, for driving a running host.</summary>
public sealed class PushTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket;

    private PushTestClient(ClientWebSocket socket) => _socket = socket;

    public string? Uaid { get; private set; }

    public WebSocketState State => _socket.State;

    public static async Task<PushTestClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new PushTestClient(socket);
    }

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    /// <summary>The next text message as JSON, or null when the server closed the socket.</summary>
    public async Task<JsonObject?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        return text is null ? null : JsonNode.Parse(text)!.AsObject();
    }

    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(count), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan quiet)
    {
        try
        {
            var message = await ReceiveTextAsync(quiet);
            return message is null;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Waits for the server's close frame and returns its code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ExpectCloseAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var text = await ReceiveTextAsync(timeout);
            if (text is null)
            {
                return (_socket.CloseStatus, _socket.CloseStatusDescription);
            }
        }
    }

    public async Task<JsonObject> HelloAsync(string? uaid = null, object? extra = null)
    {
        await SendAsync(new Dictionary<string, object?> { ["messageType"] = "hello", ["uaid"] = uaid, ["use_webpush"] = true });
        var reply = await ReceiveAsync() ?? throw new InvalidOperationException("socket closed before the hello reply");
        Uaid = (string?)reply["uaid"];
        return reply;
    }

    public async Task<JsonObject> RegisterAsync(Guid channelId, string? key = null)
    {
        await SendAsync(new Dictionary<string, object?> { ["messageType"] = "register", ["channelID"] = channelId.ToString(), ["key"] = key });
        return await ReceiveAsync() ?? throw new InvalidOperationException("socket closed before the register reply");
    }

    public Task AckAsync(string channelId, string version) =>
        SendAsync(new { messageType = "ack", updates = new[] { new { channelID = channelId, version } } });

    /// <summary>Receives the next notification (skipping nothing: anything else fails the test).</summary>
    public async Task<JsonObject> NotificationAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("socket closed while waiting for a notification");
        if ((string?)message["messageType"] != "notification")
        {
            throw new InvalidOperationException($"expected a notification, got {message.ToJsonString()}");
        }

        return message;
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Already gone.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Dispose();
    }
}
