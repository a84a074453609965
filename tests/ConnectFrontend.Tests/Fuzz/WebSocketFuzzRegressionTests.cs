using System.Text;

namespace Push.ConnectFrontend.Tests.Fuzz;

/// <summary>Exact inputs the WebSocket fuzz test found, kept as fast regression tests.</summary>
public sealed class WebSocketFuzzRegressionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path, logs: _logs);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData(false, 0x7FFF_FFFF_FFFF_FFFFUL)]
    [InlineData(true, 0x7FFF_FFFF_FFFF_FFFFUL)]
    [InlineData(true, 0x7FFF_FFFF_FFFF_FFF5UL)]
    public async Task Continuation_64BitLengthNearTheTop_Closes1002(bool hello, ulong length)
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        using var _s = socket;
        if (hello)
        {
            await socket.SendTextAsync("{\"messageType\":\"hello\"}");
            Assert.Equal(0x1, (await socket.ReadFrameAsync(Wait))!.Value.Opcode);
        }

        // A first fragment, then a continuation whose length plus the fragment's overflows a long.
        await socket.SendFrameAsync(0x1, Encoding.UTF8.GetBytes("{\"messageType\":"), fin: false);
        byte[] continuation = [0x80, 0xFF, .. BitConverter.GetBytes(length).Reverse(), 1, 2, 3, 4];
        await socket.SendRawAsync(continuation);

        Assert.Equal(((ushort)1002, "Protocol"), await socket.ReadCloseAsync(Wait));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData(false, "unregister")]
    [InlineData(true, "unregister")]
    [InlineData(true, "register")]
    [InlineData(true, "ack")]
    public async Task TextFrame_InvalidUtf8InAString_Closes1011Json(bool hello, string messageType)
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(_host.WebSocketUri.Port);
        using var _s = socket;
        if (hello)
        {
            await socket.SendTextAsync("{\"messageType\":\"hello\"}");
            Assert.Equal(0x1, (await socket.ReadFrameAsync(Wait))!.Value.Opcode);
        }

        // The exact bytes the fuzzer sent: a channel id holding C3 28, which is not UTF-8.
        var field = messageType == "ack" ? "\"updates\":[{\"channelID\":\"" : "\"channelID\":\"";
        var close = messageType == "ack" ? "\",\"version\":\"v\"}]}" : "\"}";
        byte[] frame = [.. Encoding.UTF8.GetBytes($"{{\"messageType\":\"{messageType}\",{field}"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(close)];
        await socket.SendFrameAsync(0x1, frame);

        Assert.Equal(((ushort)1011, "Json"), await socket.ReadCloseAsync(Wait));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
