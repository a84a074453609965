using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Push.Testing;

/// <summary>
/// A WebSocket client at the frame level, for what a well-behaved client library never does: not
/// answering pings, sending unmasked or fragmented frames, odd handshakes.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and sends the opening handshake; returns the client and the status line and headers.</summary>
    /// <param name="receiveBufferBytes">The kernel's receive buffer for this client, when a test needs a small one.</param>
    public static async Task<(RawWebSocket Socket, string Response)> ConnectAsync(int port, string version = "13", int? receiveBufferBytes = null)
    {
        var tcp = new TcpClient();
        if (receiveBufferBytes is { } bytes)
        {
            tcp.ReceiveBufferSize = bytes;
        }

        await tcp.ConnectAsync("127.0.0.1", port);
        var socket = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        return (socket, await socket.ReadHeadersAsync());
    }

    public Task SendTextAsync(string text, bool masked = true, bool fin = true, byte opcode = 0x1) =>
        SendFrameAsync(opcode, Encoding.UTF8.GetBytes(text), masked, fin);

    public async Task SendFrameAsync(byte opcode, byte[] payload, bool masked = true, bool fin = true)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length < 126)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }

        var body = (byte[])payload.Clone();
        if (masked)
        {
            var mask = RandomNumberGenerator.GetBytes(4);
            header.AddRange(mask);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= mask[i & 3];
            }
        }

        await _stream.WriteAsync(header.Concat(body).ToArray());
    }

    /// <summary>Writes bytes exactly as given: for frames no encoder would produce.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>Ends the client's side of the stream (TCP half-close); the server still sees what was sent.</summary>
    public void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame from the server, or null when the connection closed.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var head = new byte[2];
        if (!await ReadExactlyAsync(head, cts.Token))
        {
            return null;
        }

        long length = head[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            await ReadExactlyAsync(ext, cts.Token);
            length = BinaryPrimitives.ReadUInt16BigEndian(ext);
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            await ReadExactlyAsync(ext, cts.Token);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
        }

        var payload = new byte[length];
        await ReadExactlyAsync(payload, cts.Token);
        return ((byte)(head[0] & 0x0F), payload);
    }

    /// <summary>Reads frames until a close frame and returns its code and reason (null: dropped without one).</summary>
    public async Task<(ushort Code, string Reason)?> ReadCloseAsync(TimeSpan timeout)
    {
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            if (frame.Opcode == 0x8)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(frame.Payload), Encoding.UTF8.GetString(frame.Payload, 2, frame.Payload.Length - 2));
            }
        }

        return null;
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task<string> ReadHeadersAsync()
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one, cts.Token) == 0)
            {
                break;
            }

            text.Append((char)one[0]);
        }

        return text.ToString();
    }
}
