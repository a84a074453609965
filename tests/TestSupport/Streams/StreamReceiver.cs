using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Push.Testing.Streams;

/// <summary>
/// A long-lived client for failure tests: acks everything, records what arrived (by the id the
/// sender put in the body), and when its connection drops reconnects with its UAID to the next
/// connect frontend in its list, as a phone would after losing its server.
/// </summary>
public sealed class StreamReceiver : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly IReadOnlyList<Uri> _frontends;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _acked = new();
    private Task _loop = Task.CompletedTask;
    private PushTestClient _client = null!;
    private int _frontend;
    private string _uaid = string.Empty;
    private Guid _channel;
    private int _duplicatesAfterAck;
    private int _reconnects;

    private StreamReceiver(IReadOnlyList<Uri> frontends, int frontend)
    {
        _frontends = frontends;
        _frontend = frontend;
    }

    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>How often each id arrived.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new();

    /// <summary>When each id first arrived, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public ConcurrentDictionary<string, long> FirstReceivedAt { get; } = new();

    /// <summary>Ids that arrived again after this client had acked them.</summary>
    public int DuplicatesAfterAck => Volatile.Read(ref _duplicatesAfterAck);

    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>The frontend (index into the list) the client is connected to now.</summary>
    public int Frontend => Volatile.Read(ref _frontend);

    /// <summary>Connects to <paramref name="frontends"/>[<paramref name="frontend"/>], says hello and registers one channel.</summary>
    public static async Task<StreamReceiver> StartAsync(IReadOnlyList<Uri> frontends, int frontend = 0)
    {
        var receiver = new StreamReceiver(frontends, frontend);
        receiver._client = await PushTestClient.ConnectAsync(frontends[frontend]);
        receiver._uaid = (string)(await receiver._client.HelloAsync())["uaid"]!;
        receiver._channel = Guid.NewGuid();
        receiver.Endpoint = (string)(await receiver._client.RegisterAsync(receiver._channel))["pushEndpoint"]!;
        receiver._loop = receiver.RunAsync();
        return receiver;
    }

    /// <summary>Starts <paramref name="count"/> receivers a few at a time, spread round-robin over the frontends.</summary>
    public static async Task<List<StreamReceiver>> StartManyAsync(IReadOnlyList<Uri> frontends, int count, int parallel = 50)
    {
        var receivers = new StreamReceiver[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, _) => receivers[i] = await StartAsync(frontends, i % frontends.Count));
        return [.. receivers];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? text;
            try
            {
                text = await _client.ReceiveTextAsync(TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException)
            {
                continue;
            }

            if (text is null)
            {
                await ReconnectAsync();
                continue;
            }

            var message = JsonNode.Parse(text)!.AsObject();
            if ((string?)message["messageType"] != "notification")
            {
                continue;
            }

            var id = Encoding.UTF8.GetString(PushHttp.FromBase64Url((string)message["data"]!));
            if (_acked.ContainsKey(id))
            {
                Interlocked.Increment(ref _duplicatesAfterAck);
            }

            FirstReceivedAt.TryAdd(id, System.Diagnostics.Stopwatch.GetTimestamp());
            Received.AddOrUpdate(id, 1, (_, n) => n + 1);
            try
            {
                await _client.AckAsync(_channel.ToString(), (string)message["version"]!);
                _acked[id] = 1;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                await ReconnectAsync();
            }
        }
    }

    private async Task ReconnectAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _reconnects);
            Volatile.Write(ref _frontend, (_frontend + 1) % _frontends.Count);
            try
            {
                await _client.DisposeAsync();
                _client = await PushTestClient.ConnectAsync(_frontends[_frontend]);
                await _client.HelloAsync(_uaid);
                return;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or HttpRequestException)
            {
                try
                {
                    await Task.Delay(RetryDelay, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
