using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Push.LoadTool.Protocol;

/// <summary>
/// One Mozilla Push user agent over a real WebSocket: hello, register, then a receive loop that keeps
/// a read pending at all times (ClientWebSocket answers the server's pings only while reading),
/// hands notifications to the caller and acks them if asked to.
/// </summary>
public sealed class PushClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer = new byte[2048];
    private Task _loop = Task.CompletedTask;
    private TaskCompletionSource<long>? _marker;
    private long _received;

    private PushClient(ClientWebSocket socket) => _socket = socket;

    public string? Uaid { get; private set; }

    public long Received => Interlocked.Read(ref _received);

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Ends when the server closes the socket or the connection drops.</summary>
    public Task Completion => _loop;

    public static async Task<PushClient> ConnectAsync(Uri uri, CancellationToken cancel)
    {
        var socket = new ClientWebSocket();
        // The service's keep-alive pings are answered; the tool sends none of its own, like an idle phone.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(uri, cancel);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new PushClient(socket);
    }

    /// <summary>Says hello (as a returning user when <paramref name="uaid"/> is given) and returns the UAID.</summary>
    public async Task<string> HelloAsync(string? uaid, CancellationToken cancel)
    {
        await SendAsync(new HelloMessage(uaid), cancel);
        var reply = await ReceiveOneAsync(cancel);
        if (reply.MessageType != "hello" || reply.Status != 200 || reply.Uaid is null)
        {
            throw new ProtocolException($"hello was answered with type {reply.MessageType ?? "none"}, status {reply.Status}");
        }

        Uaid = reply.Uaid;
        return reply.Uaid;
    }

    /// <summary>Registers a new channel and returns its push endpoint. Call before <see cref="Start"/>.</summary>
    public async Task<string> RegisterAsync(CancellationToken cancel)
    {
        await SendAsync(new RegisterMessage(Guid.NewGuid().ToString()), cancel);
        var reply = await ReceiveOneAsync(cancel);
        if (reply.MessageType != "register" || reply.Status != 200 || string.IsNullOrEmpty(reply.PushEndpoint))
        {
            throw new ProtocolException($"register was answered with type {reply.MessageType ?? "none"}, status {reply.Status}");
        }

        return reply.PushEndpoint;
    }

    /// <summary>
    /// Starts the receive loop. <paramref name="onNotification"/> runs on it at arrival, before the ack;
    /// <paramref name="onAcked"/> once the ack is sent (with <paramref name="autoAck"/>).
    /// </summary>
    public void Start(Action<PushClient, Notification>? onNotification, bool autoAck, Action<PushClient, Notification>? onAcked = null) =>
        _loop = Task.Run(() => ReceiveLoopAsync(onNotification, autoAck, onAcked));

    public Task AckAsync(Notification notification, CancellationToken cancel = default) =>
        SendAsync(new AckMessage([new AckUpdate(notification.ChannelId, notification.Version)]), cancel);

    /// <summary>
    /// Sends <paramref name="first"/> (if any) and then a marker the service answers from memory, and
    /// returns the time until the marker's answer. The service handles a connection's frames in order,
    /// so the time includes the handling of <paramref name="first"/>.
    /// </summary>
    public async Task<TimeSpan> RoundTripAsync(object? first, CancellationToken cancel)
    {
        var marker = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _marker = marker;
        var start = Stopwatch.GetTimestamp();
        if (first is not null)
        {
            await SendAsync(first, cancel);
        }

        await SendAsync(new BroadcastSubscribeMessage(new Dictionary<string, string> { ["push-load-marker"] = "v1" }), cancel);
        var answered = await marker.Task.WaitAsync(cancel);
        return Stopwatch.GetElapsedTime(start, answered);
    }

    public async Task CloseAsync(TimeSpan timeout)
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
                await _loop.WaitAsync(cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
                // Gone already, or slow to answer: disposing aborts it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(object message, CancellationToken cancel)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, message.GetType());
        // One send at a time per socket: acks from the loop and calls from the command may overlap.
        await _sendLock.WaitAsync(cancel);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancel);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<ServerMessage> ReceiveOneAsync(CancellationToken cancel)
    {
        var length = await ReceiveMessageAsync(cancel);
        return length < 0
            ? throw new ProtocolException($"the service closed the socket ({_socket.CloseStatus} {_socket.CloseStatusDescription})")
            : ServerMessage.Parse(_buffer.AsSpan(0, length));
    }

    /// <summary>The length of the next text message in <see cref="_buffer"/>, or -1 once closed.</summary>
    private async Task<int> ReceiveMessageAsync(CancellationToken cancel)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(count), cancel);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return -1;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }
        }
    }

    private async Task ReceiveLoopAsync(Action<PushClient, Notification>? onNotification, bool autoAck, Action<PushClient, Notification>? onAcked)
    {
        try
        {
            while (true)
            {
                var length = await ReceiveMessageAsync(CancellationToken.None);
                if (length < 0)
                {
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var message = ServerMessage.Parse(_buffer.AsSpan(0, length));
                switch (message.MessageType)
                {
                    case "notification" when message.ChannelId is not null && message.Version is not null:
                        var notification = new Notification(message.ChannelId, message.Version, message.Data, now);
                        Interlocked.Increment(ref _received);
                        onNotification?.Invoke(this, notification);
                        if (autoAck)
                        {
                            await AckAsync(notification);
                            onAcked?.Invoke(this, notification);
                        }

                        break;
                    case "broadcast":
                        _marker?.TrySetResult(now);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection dropped or was aborted; Completion ends and the command notices.
        }
        finally
        {
            _marker?.TrySetException(new ProtocolException("the socket closed before the marker's answer"));
        }
    }
}
