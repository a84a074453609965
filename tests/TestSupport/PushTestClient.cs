using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Push.Testing;

/// <summary>A Mozilla Push protocol client over a real WebSocket, for driving a running host.</summary>
public sealed class PushTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket;

    private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>();
    private readonly Task _pump;

    private PushTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = PumpAsync();
    }

    public string? Uaid { get; private set; }

    public WebSocketState State => _socket.State;

    /// <param name="headers">Extra request headers of the upgrade (as a reverse proxy adds them).</param>
    /// <param name="from">The loopback address to connect from (127.0.0.2...), so a server sees another client than 127.0.0.1.</param>
    public static async Task<PushTestClient> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string>? headers = null, IPAddress? from = null)
    {
        var socket = new ClientWebSocket();
        // Answer the server's pings, never send our own: the server's keep-alive is under test.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        if (from is null)
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        else
        {
            // The upgraded connection leaves the handler's pool: disposing the invoker leaves it open.
            using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = (context, token) => ConnectFromAsync(from, context.DnsEndPoint, token) });
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }

        return new PushTestClient(socket);
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress from, DnsEndPoint to, CancellationToken token)
    {
        var connection = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            connection.Bind(new IPEndPoint(from, 0));
            await connection.ConnectAsync(to, token);
            return new NetworkStream(connection, ownsSocket: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] data)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(data, WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>Closes with a code of the test's choosing and returns what the server echoed.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> CloseWithAsync(WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseOutputAsync(status, reason, timeout.Token);
        await _pump.WaitAsync(DefaultTimeout);
        return (_socket.CloseStatus, _socket.CloseStatusDescription);
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    /// <summary>The next text message as JSON, or null when the server closed the socket.</summary>
    public async Task<JsonObject?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        return text is null ? null : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// The next text message, or null once the socket is closed. Waiting out the timeout throws but
    /// leaves the socket open (a background reader owns the socket's receive side).
    /// </summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _incoming.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan quiet)
    {
        try
        {
            return await ReceiveTextAsync(quiet) is null;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                await _incoming.Writer.WriteAsync(Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
        catch (WebSocketException)
        {
            // The connection dropped; readers see the end.
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    /// <summary>Waits for the server's close frame and returns its code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ExpectCloseAsync(TimeSpan? timeout = null)
    {
        while (await ReceiveTextAsync(timeout) is not null)
        {
            // Skip whatever arrives before the close.
        }

        await _pump.WaitAsync(timeout ?? DefaultTimeout);
        return (_socket.CloseStatus, _socket.CloseStatusDescription);
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
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                await _pump.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
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
