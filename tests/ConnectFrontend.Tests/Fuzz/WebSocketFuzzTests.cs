using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Push.ConnectFrontend.Tests.Fuzz;

/// <summary>
/// Generated frames against one running host: whatever a client sends, the server answers with one of
/// the reference's close codes (or keeps going), never crashes, and other users are untouched.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class WebSocketFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 8;
    private const int MaxItemsPerSession = 300;
    private const long MemoryBoundBytes = 64L * 1024 * 1024;
    private static readonly FuzzRun Run = FuzzRun.FromEnvironment(seed: 8_000, items: 100_000, budget: TimeSpan.FromSeconds(80));
    // Short: a barrier that times out only ends the session early (by end of stream), which is allowed.
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly HashSet<string> Reasons1011 = ["SM", "Json", "StreamClosed", "HandshakeTimeout"];

    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, int> _closes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<FuzzKind, int> _kinds = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private TestHost _host = null!;
    private long _frames;
    private long _sessions;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path, logs: _logs);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task GeneratedFrames_ManyConcurrentSessions_CloseWithReferenceCodesAndHarmNoOne()
    {
        var bystander = await FuzzChecks.CreateBystanderAsync(_host, _http, messages: 3);
        var bystanderBefore = await FuzzChecks.SnapshotAsync(_host, bystander);
        await FuzzChecks.RoundTripAsync(_host, _http);
        var memoryBefore = FuzzChecks.ManagedMemory();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(() => WorkerAsync(seed: Run.Seed + worker))));

        var elapsed = clock.Elapsed;
        await FuzzChecks.RoundTripAsync(_host, _http);
        Assert.Equal(bystanderBefore, await FuzzChecks.SnapshotAsync(_host, bystander));

        // Sessions end asynchronously after their sockets close; wait for the memory they held to go.
        var memoryAfter = await Eventually.WaitAsync(
            () => Task.FromResult(FuzzChecks.ManagedMemory()), bytes => bytes < memoryBefore + MemoryBoundBytes, TimeSpan.FromSeconds(30), "managed memory to return near its baseline");

        output.WriteLine($"{Run}: frames written: {_frames} in {_sessions} sessions, {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"managed memory: before {memoryBefore / 1024} KiB, after {memoryAfter / 1024} KiB");
        output.WriteLine("closes: " + string.Join(", ", _closes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} ×{kv.Value}")));
        output.WriteLine("items: " + string.Join(", ", _kinds.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} ×{kv.Value}")));

        Assert.True(_problems.IsEmpty, string.Join("\n", _problems.Take(20)));
        Assert.True(_frames >= Run.Items, $"only {_frames} frames in {elapsed}");
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error && !IsExpectedError(e.Category, e.Message)).Select(e => $"{e.Category}: {e.Message}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5)) + "\n" + string.Join("\n", _logs.Exceptions.Take(3).Select(e => e.Exception.ToString())));
        using var health = await _http.GetAsync(new Uri(_host.InternalUri, "health"));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    private async Task WorkerAsync(int seed)
    {
        var random = new Random(seed);
        var channels = Enumerable.Range(0, 4).Select(_ => RandomGuid(random)).ToList();
        var fuzzer = new WebSocketFrameFuzzer(seed, channels);

        // A known user of this worker's own, so hellos in fuzz sessions never ghost another worker.
        string uaid;
        await using (var setup = await _host.ConnectAsync())
        {
            uaid = (string)(await setup.HelloAsync())["uaid"]!;
            await setup.RegisterAsync(channels[0]);
        }

        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref _frames) < Run.Items && deadline.Elapsed < Run.Budget && _problems.IsEmpty)
        {
            await SessionAsync(fuzzer, random.Next(2) == 0 ? uaid : null, random.Next(1, MaxItemsPerSession));
        }
    }

    private async Task SessionAsync(WebSocketFrameFuzzer fuzzer, string? uaid, int items)
    {
        Interlocked.Increment(ref _sessions);
        var (socket, response) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        using var _ = socket;
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            _problems.Enqueue("handshake refused: " + response);
            return;
        }

        var reader = new ServerReader(socket);
        var closeCodesSent = new HashSet<ushort>();
        var endedStream = false;
        var frames = 0L;
        var marker = 0UL;
        var log = new List<FuzzKind>();
        if (uaid is not null)
        {
            await socket.SendRawAsync(fuzzer.Hello(uaid).Bytes);
            frames++;
            if (!await reader.FirstTextAsync(TimeSpan.FromSeconds(10)))
            {
                _problems.Enqueue("no hello reply");
                return;
            }
        }

        for (var i = 0; i < items && !reader.Ended; i++)
        {
            var item = fuzzer.Next();
            if (!await TryWriteAsync(socket, item.Bytes))
            {
                break;
            }

            frames += item.Frames;
            log.Add(item.Kind);
            _kinds.AddOrUpdate(item.Kind, item.Frames, (_, n) => n + item.Frames);
            if (item.Kind == FuzzKind.Close)
            {
                closeCodesSent.Add(item.CloseCodeSent ?? 0);
            }

            if (item.EndsStream)
            {
                socket.ShutdownSend();
                endedStream = true;
                break;
            }

            // The pong of a barrier ping means the server has read every frame before it.
            marker++;
            if (!await TryWriteAsync(socket, WebSocketFrameFuzzer.Barrier(marker)))
            {
                break;
            }

            if (!await reader.PongOrEndAsync(marker, BarrierTimeout))
            {
                // The server waits for payload that a bogus length promised: end the stream instead.
                socket.ShutdownSend();
                endedStream = true;
                break;
            }
        }

        if (!reader.Ended && !endedStream)
        {
            await TryWriteAsync(socket, [0x88, 0x82, 0, 0, 0, 0, 0x03, 0xE8]);
            closeCodesSent.Add(1000);
        }

        if (!await reader.EndAsync(TimeSpan.FromSeconds(15)))
        {
            _problems.Enqueue("server neither closed nor dropped the connection after: " + string.Join(",", log.TakeLast(5)));
            return;
        }

        Interlocked.Add(ref _frames, frames);
        var close = reader.Close;
        var label = close is { } c ? $"{c.Code} {c.Reason}" : "dropped without close";
        var allowed = close switch
        {
            null => endedStream,
            { } c2 => IsServerReason(c2) || closeCodesSent.Contains(c2.Code) || (IsWireCloseCode(c2.Code) && log.Contains(FuzzKind.RandomBytes)),
        };
        if (close is { } echoed && closeCodesSent.Contains(echoed.Code) && !IsServerReason(echoed))
        {
            // Echoed client codes and reasons are as varied as the client's; count them as one kind.
            label = "echo of the client's close";
        }

        _closes.AddOrUpdate(label, 1, (_, n) => n + 1);
        if (!allowed)
        {
            _problems.Enqueue($"unexpected close {label} after: {string.Join(",", log.TakeLast(5))}");
        }
    }

    /// <summary>
    /// Orleans reports a one-way call to a session observer that was just deleted (the user's grain told
    /// a session that had already ended): churn noise, not a failure of the service.
    /// </summary>
    private static bool IsExpectedError(string category, string message) =>
        category == "Orleans.Runtime.HostedClient" && message.StartsWith("Unexpected target grain in request", StringComparison.Ordinal);

    // Random bytes can spell a close frame; a code allowed on the wire is then echoed like any other.
    private static bool IsWireCloseCode(ushort code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private static bool IsServerReason((ushort Code, string Reason) close) => close switch
    {
        (1002, "Protocol") or (1003, "UnsupportedMessage") or (1008, "TooManyCommands") => true,
        (1011, var reason) => Reasons1011.Contains(reason),
        _ => false,
    };

    private static async Task<bool> TryWriteAsync(RawWebSocket socket, byte[] bytes)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.SendRawAsync(bytes, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The server closed first: this frame was not written.
            return false;
        }
    }

    private static Guid RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Reads server frames in the background: pongs, the first text message, and the close.</summary>
    private sealed class ServerReader
    {
        private readonly SemaphoreSlim _signal = new(0);
        private readonly Task _loop;
        private long _lastPong;
        private int _texts;

        public ServerReader(RawWebSocket socket) => _loop = Task.Run(() => LoopAsync(socket));

        public bool Ended => _loop.IsCompleted;

        public (ushort Code, string Reason)? Close { get; private set; }

        public Task<bool> FirstTextAsync(TimeSpan timeout) => WaitAsync(() => Volatile.Read(ref _texts) > 0, timeout);

        public Task<bool> PongOrEndAsync(ulong marker, TimeSpan timeout) => WaitAsync(() => (ulong)Interlocked.Read(ref _lastPong) >= marker, timeout);

        public async Task<bool> EndAsync(TimeSpan timeout) => await Task.WhenAny(_loop, Task.Delay(timeout)) == _loop;

        private async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!condition() && !Ended)
            {
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                await _signal.WaitAsync(left);
            }

            return true;
        }

        private async Task LoopAsync(RawWebSocket socket)
        {
            try
            {
                while (await socket.ReadFrameAsync(TimeSpan.FromSeconds(60)) is { } frame)
                {
                    switch (frame.Opcode)
                    {
                        case 0x8:
                            Close = frame.Payload.Length >= 2
                                ? (BinaryPrimitives.ReadUInt16BigEndian(frame.Payload), Encoding.UTF8.GetString(frame.Payload, 2, frame.Payload.Length - 2))
                                : ((ushort)0, string.Empty);
                            return;
                        case 0xA when frame.Payload.Length == 12 && frame.Payload.AsSpan(0, 4).SequenceEqual("BARR"u8):
                            Interlocked.Exchange(ref _lastPong, (long)BinaryPrimitives.ReadUInt64BigEndian(frame.Payload.AsSpan(4)));
                            break;
                        case 0x1:
                            Interlocked.Increment(ref _texts);
                            break;
                    }

                    _signal.Release();
                }
            }
            catch (OperationCanceledException)
            {
                // Silent for a minute: the session check reports it.
            }
            finally
            {
                _signal.Release();
            }
        }
    }
}
