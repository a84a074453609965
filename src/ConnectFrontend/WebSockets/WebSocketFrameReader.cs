using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// Parses client frames (RFC 6455) from bytes already received, without any I/O: whole messages
/// (reassembled from fragments), close frames and protocol errors come out; pings are collected for
/// the caller to answer and pongs counted. Holds at most one message under reassembly.
/// </summary>
internal sealed class WebSocketFrameReader(int maxMessageBytes)
{
    private const byte OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
    private ArrayBufferWriter<byte>? _message;
    private byte _messageOpcode;
    private int _pongs;

    /// <summary>How many pongs have been read so far.</summary>
    public int PongCount => Volatile.Read(ref _pongs);

    /// <summary>
    /// Consumes every complete frame in <paramref name="buffer"/>. Returns true with a result when a
    /// message, a close or a protocol error is complete; collects pings to answer.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out Received result, out List<ReadOnlyMemory<byte>>? pings)
    {
        pings = null;
        result = default;
        while (TryReadFrameHeader(buffer, out var fin, out var opcode, out var masked, out var length, out var headerLength, out var headerError))
        {
            if (headerError || !masked)
            {
                // Frames from a client must be masked (RFC 6455 §5.1); RSV bits and unknown opcodes are errors.
                result = new Received(ReceivedKind.ProtocolError);
                return true;
            }

            var isControl = opcode >= OpClose;
            // Subtract rather than add: a 64-bit length near the top would overflow the sum and pass.
            if (isControl ? (length > 125 || !fin) : (length > maxMessageBytes - MessageLength))
            {
                result = new Received(ReceivedKind.ProtocolError);
                return true;
            }

            if (buffer.Length < headerLength + length)
            {
                return false;
            }

            var payload = Unmask(buffer.Slice(headerLength - 4, 4), buffer.Slice(headerLength, length));
            buffer = buffer.Slice(headerLength + length);
            switch (opcode)
            {
                case OpPing:
                    (pings ??= []).Add(payload);
                    continue;
                case OpPong:
                    Interlocked.Increment(ref _pongs);
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

    private static byte[] Unmask(ReadOnlySequence<byte> maskBytes, ReadOnlySequence<byte> masked)
    {
        Span<byte> mask = stackalloc byte[4];
        maskBytes.CopyTo(mask);
        var payload = masked.ToArray();
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= mask[i & 3];
        }

        return payload;
    }

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

    private static bool TryReadFrameHeader(ReadOnlySequence<byte> buffer, out bool fin, out byte opcode, out bool masked, out long length, out int headerLength, out bool error)
    {
        fin = masked = error = false;
        opcode = 0;
        length = 0;
        headerLength = 0;
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
            error = true;
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
