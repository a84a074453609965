using System.Text;

namespace Push.ConnectFrontend.Tests.WebSockets;

/// <summary>The WebSocket layer at the frame level: keep-alive, control frames, framing errors.</summary>
public sealed class PushWebSocketTests : IAsyncLifetime
{
    private const byte Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xA;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    private int Port => _host.WebSocketUri.Port;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__AUTO_PING_INTERVAL"] = "0.5",
            ["AUTOCONNECT__AUTO_PING_TIMEOUT"] = "0.5",
        });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Handshake_AnswersWithTheRfc6455Accept()
    {
        var (socket, response) = await RawWebSocket.ConnectAsync(Port);
        using var _ = socket;

        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept:", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Handshake_OtherVersion_Is426()
    {
        var (socket, response) = await RawWebSocket.ConnectAsync(Port, version: "8");
        using var _ = socket;

        Assert.StartsWith("HTTP/1.1 426", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_NeverAnswered_Closes1011PongTimeout()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;
        await socket.SendTextAsync("{\"messageType\":\"hello\"}");
        Assert.Equal(Text, (await socket.ReadFrameAsync(Wait))!.Value.Opcode);

        Assert.Equal(Ping, (await socket.ReadFrameAsync(Wait))!.Value.Opcode);

        Assert.Equal(((ushort)1011, "PongTimeout"), await socket.ReadCloseAsync(Wait));
    }

    [Fact]
    public async Task Ping_Answered_KeepsTheConnection()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;
        await socket.SendTextAsync("{\"messageType\":\"hello\"}");
        await socket.ReadFrameAsync(Wait);

        for (var i = 0; i < 4; i++)
        {
            var ping = await socket.ReadFrameAsync(Wait);
            Assert.Equal(Ping, ping!.Value.Opcode);
            await socket.SendFrameAsync(Pong, ping.Value.Payload);
        }

        await socket.SendTextAsync($"{{\"messageType\":\"register\",\"channelID\":\"{Guid.NewGuid()}\"}}");
        var reply = await NextTextAsync(socket);
        Assert.Contains("\"status\":200", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientPing_IsAnsweredWithTheSamePayload()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;

        await socket.SendFrameAsync(Ping, [1, 2, 3]);

        var pong = await socket.ReadFrameAsync(Wait);
        Assert.Equal(Pong, pong!.Value.Opcode);
        Assert.Equal([1, 2, 3], pong.Value.Payload);
    }

    [Fact]
    public async Task UnmaskedFrame_Closes1002()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;

        await socket.SendTextAsync("{\"messageType\":\"hello\"}", masked: false);

        Assert.Equal(((ushort)1002, "Protocol"), await socket.ReadCloseAsync(Wait));
    }

    [Fact]
    public async Task ReservedOpcode_Closes1002()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;

        await socket.SendFrameAsync(0x3, [1]);

        Assert.Equal(((ushort)1002, "Protocol"), await socket.ReadCloseAsync(Wait));
    }

    [Fact]
    public async Task FragmentedHello_IsReassembled()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;

        await socket.SendTextAsync("{\"messageType\":", fin: false);
        await socket.SendFrameAsync(Ping, []);
        await socket.SendTextAsync("\"hello\"}", opcode: 0x0);

        Assert.Contains("\"messageType\":\"hello\"", await NextTextAsync(socket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseFrame_IsEchoedAndTheConnectionEnds()
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;
        await socket.SendTextAsync("{\"messageType\":\"hello\"}");
        await socket.ReadFrameAsync(Wait);

        await socket.SendFrameAsync(Close, [0x03, 0xE8, .. Encoding.UTF8.GetBytes("bye")]);

        Assert.Equal(((ushort)1000, "bye"), await socket.ReadCloseAsync(Wait));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(2000)]
    [InlineData(5000)]
    [InlineData(8425)]
    public async Task CloseFrame_CodeNotAllowedOnTheWire_Closes1002Protocol(int code)
    {
        var (socket, _) = await RawWebSocket.ConnectAsync(Port);
        using var _s = socket;
        await socket.SendTextAsync("{\"messageType\":\"hello\"}");
        await socket.ReadFrameAsync(Wait);

        await socket.SendFrameAsync(Close, [(byte)(code >> 8), (byte)code, .. Encoding.UTF8.GetBytes("bye")]);

        Assert.Equal(((ushort)1002, "Protocol"), await socket.ReadCloseAsync(Wait));
    }

    private static async Task<string> NextTextAsync(RawWebSocket socket)
    {
        while (await socket.ReadFrameAsync(Wait) is { } frame)
        {
            if (frame.Opcode == Text)
            {
                return Encoding.UTF8.GetString(frame.Payload);
            }
        }

        throw new InvalidOperationException("closed before a text frame");
    }
}
