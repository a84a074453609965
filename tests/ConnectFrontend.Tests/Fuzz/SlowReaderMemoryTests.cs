using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Sessions;
using Xunit.Abstractions;

namespace Push.ConnectFrontend.Tests.Fuzz;

/// <summary>
/// Clients that send large commands and never read the replies: each connection may make the server
/// hold only a bounded number of bytes, however much the client sends.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class SlowReaderMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sockets = 50;
    private const int RoundsPerSocket = 150;
    private const int SmallFramesPerRound = 30;
    private const long BoundPerSocketBytes = 256_000;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task BroadcastSubscribe_ClientsThatStopReading_HoldAtMost256KBEach()
    {
        await FuzzChecks.RoundTripAsync(_host, _http);
        // Large frames of many short unknown ids (the server parses 60 kB and echoes what it may), and
        // small frames of two long ids, whose echo is as large as the frame: together they fill the
        // server's outbound path quickly and its inbound path with large frames.
        var large = BroadcastSubscribeFrame(Enumerable.Range(0, 4_600).Select(i => $"u{i:D5}"));
        var small = BroadcastSubscribeFrame(Enumerable.Range(0, 2).Select(i => new string((char)('a' + i), 2_000)));
        var memoryBefore = FuzzChecks.ManagedMemory();
        var sockets = new RawWebSocket[Sockets];
        var bytesSent = new long[Sockets];
        var stalled = new bool[Sockets];

        await Task.WhenAll(Enumerable.Range(0, Sockets).Select(async i =>
        {
            var (socket, response) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port, receiveBufferBytes: 4096);
            sockets[i] = socket;
            Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
            await socket.SendTextAsync("{\"messageType\":\"hello\"}");
            Assert.Equal(0x1, (await socket.ReadFrameAsync(Wait))!.Value.Opcode);
        }));
        var memoryIdle = FuzzChecks.ManagedMemory();

        await Task.WhenAll(Enumerable.Range(0, Sockets).Select(async i =>
        {
            var socket = sockets[i];

            // From here on nothing is read: the replies pile up in the kernel, then in the server, which
            // then stops reading too (or this client runs out of frames first).
            for (var round = 0; round < RoundsPerSocket && !stalled[i]; round++)
            {
                foreach (var frame in Enumerable.Repeat(small, SmallFramesPerRound).Prepend(large))
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                    try
                    {
                        await socket.SendRawAsync(frame, timeout.Token);
                        bytesSent[i] += frame.Length;
                    }
                    catch (OperationCanceledException)
                    {
                        stalled[i] = true;
                        break;
                    }
                }
            }
        }));

        // Frames already read may still be in work; wait (well within the 30 s send timeout that would
        // end these sessions) for what the stalled connections hold at rest.
        var memoryDuring = await Eventually.WaitAsync(
            () => Task.FromResult(FuzzChecks.ManagedMemory()),
            bytes => (bytes - memoryBefore) / Sockets <= BoundPerSocketBytes,
            TimeSpan.FromSeconds(15),
            "the stalled connections to hold at most 256 kB each");
        var open = _host.Host.Services.GetRequiredService<SessionRegistry>().Count;
        output.WriteLine($"sent per socket: {bytesSent.Min() / 1024}-{bytesSent.Max() / 1024} KiB; stalled: {stalled.Count(x => x)}; sessions open: {open}");
        output.WriteLine($"managed memory: before {memoryBefore / 1024} KiB, idle {memoryIdle / 1024} KiB, during {memoryDuring / 1024} KiB");
        output.WriteLine($"per socket: idle {(memoryIdle - memoryBefore) / Sockets / 1024} KiB, under attack {(memoryDuring - memoryBefore) / Sockets / 1024} KiB");
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        // Every client was pushed back (the server stopped reading it), and the sessions were still
        // open when measured: the memory was not given back by ending them.
        Assert.All(stalled, Assert.True);
        Assert.True(open >= Sockets, $"only {open} sessions open");
        await FuzzChecks.RoundTripAsync(_host, _http);
    }

    /// <summary>A broadcast_subscribe naming <paramref name="ids"/>, masked with a zero key.</summary>
    private static byte[] BroadcastSubscribeFrame(IEnumerable<string> ids)
    {
        var broadcasts = string.Join(",", ids.Select(id => $"\"{id}\":\"v\""));
        var payload = Encoding.UTF8.GetBytes($"{{\"messageType\":\"broadcast_subscribe\",\"broadcasts\":{{{broadcasts}}}}}");
        byte[] header = [0x81, 0x80 | 127, .. BitConverter.GetBytes((ulong)payload.Length).Reverse(), 0, 0, 0, 0];
        return [.. header, .. payload];
    }
}
