using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// The server end of one WebSocket (RFC 6455) over the upgraded connection. Only what the push protocol needs: text messages, close
/// with a code and reason, and ping/pong (pings are answered here; pongs are timestamped for the
/// session's keep-alive). Sends are serialised by a lock because pong replies come from the reader.
/// </summary>
internal sealed class PushWebSocket
{
    private const byte OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private readonly HttpContext _context;
    private readonly PipeReader _input;
    private readonly Stream _output;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ArrayBufferWriter<byte>? _message;
    private byte _messageOpcode;
    private long _lastPongTimestamp;
    private int _closeSent;

    internal PushWebSocket(HttpContext context, Stream upgraded, int maxMessageBytes)
    {
        _context = context;
        // Small reads: an idle connection then holds at most this much of a pooled buffer.
        _input = PipeReader.Create(upgraded, new StreamPipeReaderOptions(bufferSize: 2048, minimumReadSize: 512, leaveOpen: true));
        _output = upgraded;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary><see cref="Stopwatch"/> timestamp of the last pong received, or 0.</summary>
    public long LastPongTimestamp => Volatile.Read(ref _lastPongTimestamp);

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
            var outcome = ParseFrames(ref buffer, out var result, out var pings);

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
    public void Abort() => _context.Abort();

    private async ValueTask SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, bool closing = false)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (CloseSent && !closing)
            {
                return;
            }

            var frame = ArrayPool<byte>.Shared.Rent(payload.Length + 10);
            try
            {
                var length = WriteFrame(frame, opcode, payload.Span);
                await _output.WriteAsync(frame.AsMemory(0, length), cancellationToken);
                await _output.FlushAsync(cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
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

    /// <summary>
    /// Consumes every complete frame in <paramref name="buffer"/>. Returns true with a result when a
    /// message, a close or a protocol error is complete; collects pings to answer.
    /// </summary>
    private bool ParseFrames(ref ReadOnlySequence<byte> buffer, out Received result, out List<ReadOnlyMemory<byte>>? pings)
    {
        pings = null;
        result = default;
        while (TryReadFrameHeader(buffer, out var fin, out var opcode, out var masked, out var length, out var headerLength, out var headerError))
        {
            if (headerError is not null || !masked)
            {
                // Frames from a client must be masked (RFC 6455 §5.1); RSV bits and unknown opcodes are errors.
                result = new Received(ReceivedKind.ProtocolError);
                return true;
            }

            var isControl = opcode >= OpClose;
            // Subtract rather than add: a 64-bit length near the top would overflow the sum and pass.
            if (isControl ? (length > 125 || !fin) : (length > _maxMessageBytes - MessageLength))
            {
                result = new Received(ReceivedKind.ProtocolError);
                return true;
            }

            if (buffer.Length < headerLength + length)
            {
                return false;
            }

            var mask = buffer.Slice(headerLength - 4, 4).ToArray();
            var payload = buffer.Slice(headerLength, length).ToArray();
            buffer = buffer.Slice(headerLength + length);
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i & 3];
            }

            switch (opcode)
            {
                case OpPing:
                    (pings ??= []).Add(payload);
                    continue;
                case OpPong:
                    Volatile.Write(ref _lastPongTimestamp, Stopwatch.GetTimestamp());
                    continue;
                case OpClose:
                    result = ReadClose(payload);
                    return true;
                case OpContinuation when _message is null:
                case OpText or OpBinary when _message is not null:
                    // A continuation with nothing to continue, or a new message inside a fragmented one.
                    result = new Received(ReceivedKind.ProtocolError);
                    return true;
            }

            if (opcode != OpContinuation)
            {
                _messageOpcode = opcode;
                if (fin)
                {
                    result = new Received(opcode == OpText ? ReceivedKind.Text : ReceivedKind.Binary, payload);
                    return true;
                }

                _message = new ArrayBufferWriter<byte>(Math.Max(256, (int)length));
            }

            var message = _message!;
            message.Write(payload);
            if (fin)
            {
                var whole = message.WrittenMemory;
                _message = null;
                result = new Received(_messageOpcode == OpText ? ReceivedKind.Text : ReceivedKind.Binary, whole);
                return true;
            }
        }

        return false;
    }

    private long MessageLength => _message?.WrittenCount ?? 0;

    private static Received ReadClose(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return new Received(ReceivedKind.Close, CloseCode: 1005);
        }

        if (payload.Length == 1)
        {
            return new Received(ReceivedKind.ProtocolError);
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsSendableCloseCode(code))
        {
            // RFC 6455 §7.4: a code that may not appear on the wire (below 1000, 1004-1006, 1015,
            // unassigned 1016-2999, or 5000 and up) is a protocol error; it is never echoed back.
            return new Received(ReceivedKind.ProtocolError);
        }

        string reason;
        try
        {
            reason = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload, 2, payload.Length - 2);
        }
        catch (DecoderFallbackException)
        {
            return new Received(ReceivedKind.ProtocolError);
        }

        return new Received(ReceivedKind.Close, CloseCode: code, CloseReason: reason);
    }

    private static bool IsSendableCloseCode(ushort code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private static bool TryReadFrameHeader(ReadOnlySequence<byte> buffer, out bool fin, out byte opcode, out bool masked, out long length, out int headerLength, out string? error)
    {
        fin = masked = false;
        opcode = 0;
        length = 0;
        headerLength = 0;
        error = null;
        if (buffer.Length < 2)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[14];
        var available = (int)Math.Min(buffer.Length, 14);
        buffer.Slice(0, available).CopyTo(head);
        fin = (head[0] & 0x80) != 0;
        opcode = (byte)(head[0] & 0x0F);
        masked = (head[1] & 0x80) != 0;
        if ((head[0] & 0x70) != 0 || opcode is > OpBinary and < OpClose or > OpPong)
        {
            error = "reserved bits or opcode";
            return true;
        }

        var shortLength = head[1] & 0x7F;
        var extended = shortLength switch { 126 => 2, 127 => 8, _ => 0 };
        headerLength = 2 + extended + (masked ? 4 : 0);
        if (available < headerLength)
        {
            return false;
        }

        length = extended switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(head[2..]),
            8 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(head[2..]), long.MaxValue),
            _ => shortLength,
        };
        return true;
    }
}
