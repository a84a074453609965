using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// The server end of one WebSocket (RFC 6455) over a connection's pipes, after the 101 answer. Only what
/// the push protocol needs: text messages, close with a code and reason, and ping/pong (pings are
/// answered here; pongs are counted for the session's keep-alive). Frames are parsed by
/// <see cref="WebSocketFrameReader"/>. Sends are serialised because pong replies come from the reader.
/// </summary>
internal sealed class PushWebSocket
{
    private const byte OpText = 0x1, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Action _abort;
    private readonly WebSocketFrameReader _frames;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _closeSent;

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

    /// <summary>How many pongs the peer has sent.</summary>
    public int PongCount => _frames.PongCount;

    public bool CloseSent => Volatile.Read(ref _closeSent) == 1;

    /// <summary>Reads until a whole data message, a close frame or the end of the connection.</summary>
    public async ValueTask<Received> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read;
            try
            {
                read = await _input.ReadAsync(cancellationToken);
            }
            catch (IOException)
            {
                return new Received(ReceivedKind.End);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Kestrel reports an aborted connection this way.
                return new Received(ReceivedKind.End);
            }

            var buffer = read.Buffer;
            var outcome = _frames.TryRead(ref buffer, out var result, out var pings);

            // With a message found, what follows it is unread, not waiting for more data.
            _input.AdvanceTo(buffer.Start, outcome ? buffer.Start : buffer.End);
            foreach (var ping in pings ?? [])
            {
                await SendFrameAsync(OpPong, ping, cancellationToken);
            }

            if (outcome)
            {
                return result;
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                return new Received(ReceivedKind.End);
            }
        }
    }

    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) => SendFrameAsync(OpText, utf8, cancellationToken);

    public ValueTask SendPingAsync(CancellationToken cancellationToken) => SendFrameAsync(OpPing, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Sends a close frame (once); the reason is cut to fit a control frame.</summary>
    public async ValueTask SendCloseAsync(ushort code, string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return;
        }

        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + Math.Min(text.Length, 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        text.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        await SendFrameAsync(OpClose, payload, cancellationToken, closing: true);
    }

    /// <summary>Drops the connection at once.</summary>
    public void Abort() => _abort();

    private async ValueTask SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, bool closing = false)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (CloseSent && !closing)
            {
                return;
            }

            _output.Advance(WriteFrame(_output.GetSpan(payload.Length + 10), opcode, payload.Span));
            var flushed = await _output.FlushAsync(cancellationToken);
            if (flushed.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
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
