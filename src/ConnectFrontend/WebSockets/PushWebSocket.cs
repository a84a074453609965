using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// The server end of one WebSocket (RFC 6455) over a connection's pipes, after the 101 answer. Only what
/// the push protocol needs: text messages, close with a code and reason, and ping/pong (pings are
/// answered here; pongs are counted for the session's keep-alive). Frames are parsed by
/// <see cref="WebSocketFrameReader"/>. One loop (the session's) receives and sends; others may only
/// <see cref="Wake"/> it from its wait for the client, or <see cref="Abort"/> the connection.
/// </summary>
internal sealed class PushWebSocket
{
    private const byte OpText = 0x1, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Action _abort;
    private readonly WebSocketFrameReader _frames;
    private bool _closeSent;

    /// <param name="input">What the client sends, after the opening handshake.</param>
    /// <param name="output">Where frames to the client go; a flush waits while the connection's send buffer is full.</param>
    /// <param name="maxMessageBytes">The largest message accepted; larger ones are protocol errors.</param>
    /// <param name="abort">Drops the connection at once.</param>
    internal PushWebSocket(PipeReader input, PipeWriter output, int maxMessageBytes, Action abort)
    {
        _input = input;
        _output = output;
        _abort = abort;
        _frames = new WebSocketFrameReader(maxMessageBytes);
    }

    /// <summary>Told of every send, so that one the client never lets finish can be cut off.</summary>
    public ISendWatch? SendWatch { get; set; }

    /// <summary>How many pongs the peer has sent.</summary>
    public int PongCount => _frames.PongCount;

    public bool CloseSent => _closeSent;

    /// <summary>
    /// Reads until a whole data message, a close frame or the end of the connection, or until
    /// <see cref="Wake"/> (then <see cref="ReceivedKind.Woken"/>). An idle wait holds no buffer.
    /// </summary>
    public async ValueTask<Received> ReceiveAsync()
    {
        while (true)
        {
            ReadResult read;
            try
            {
                read = await _input.ReadAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // A reset connection, or one the server aborted.
                return new Received(ReceivedKind.End);
            }

            var buffer = read.Buffer;
            var outcome = _frames.TryRead(ref buffer, out var result, out var pings);

            // With a message found, what follows it is unread, not waiting for more data.
            _input.AdvanceTo(buffer.Start, outcome ? buffer.Start : buffer.End);
            foreach (var ping in pings ?? [])
            {
                await SendFrameAsync(OpPong, ping, CancellationToken.None);
            }

            if (outcome)
            {
                return result;
            }

            if (read.IsCompleted)
            {
                return new Received(ReceivedKind.End);
            }

            if (read.IsCanceled)
            {
                return new Received(ReceivedKind.Woken);
            }
        }
    }

    /// <summary>Makes a pending (or the next) <see cref="ReceiveAsync"/> return <see cref="ReceivedKind.Woken"/>; any thread.</summary>
    public void Wake()
    {
        try
        {
            _input.CancelPendingRead();
        }
        catch (ObjectDisposedException)
        {
            // The connection is already gone, and with it the wait.
        }
    }

    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8) => SendFrameAsync(OpText, utf8, CancellationToken.None);

    public ValueTask SendPingAsync() => SendFrameAsync(OpPing, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

    /// <summary>Sends a close frame (once); the reason is cut to fit a control frame.</summary>
    public async ValueTask SendCloseAsync(ushort code, string reason, CancellationToken cancellationToken)
    {
        if (_closeSent)
        {
            return;
        }

        _closeSent = true;
        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + Math.Min(text.Length, 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        text.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        await SendFrameAsync(OpClose, payload, cancellationToken, closing: true);
    }

    /// <summary>Drops the connection at once; any thread.</summary>
    public void Abort() => _abort();

    private async ValueTask SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, bool closing = false)
    {
        if (_closeSent && !closing)
        {
            return;
        }

        _output.Advance(WriteFrame(_output.GetSpan(payload.Length + 10), opcode, payload.Span));
        FlushResult flushed;
        SendWatch?.SendStarted();
        try
        {
            flushed = await _output.FlushAsync(cancellationToken);
        }
        finally
        {
            SendWatch?.SendEnded();
        }

        if (flushed.IsCompleted)
        {
            // The connection is gone (or was aborted for a send that took too long).
            throw new IOException("The connection was closed while sending.");
        }
    }
    private static int WriteFrame(Span<byte> frame, byte opcode, ReadOnlySpan<byte> payload)
    {
        frame[0] = (byte)(0x80 | opcode);
        int headerLength;
        if (payload.Length < 126)
        {
            frame[1] = (byte)payload.Length;
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)payload.Length);
            headerLength = 10;
        }

        payload.CopyTo(frame[headerLength..]);
        return headerLength + payload.Length;
    }
}
