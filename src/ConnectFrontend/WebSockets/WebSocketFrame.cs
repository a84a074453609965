namespace Push.ConnectFrontend.WebSockets;

/// <summary>What reading a WebSocket yields next.</summary>
internal enum ReceivedKind
{
    /// <summary>A complete text message.</summary>
    Text,

    /// <summary>A binary (or otherwise non-text) data message.</summary>
    Binary,

    /// <summary>The peer sent a close frame.</summary>
    Close,

    /// <summary>The peer broke RFC 6455 (unmasked frame, bad opcode, oversized message...).</summary>
    ProtocolError,

    /// <summary>The connection ended without a close frame.</summary>
    End,

    /// <summary>Nothing from the client: the wait was interrupted (<see cref="PushWebSocket.Wake"/>).</summary>
    Woken,
}

/// <summary>One received message, or how the connection ended.</summary>
internal readonly record struct Received(ReceivedKind Kind, ReadOnlyMemory<byte> Payload = default, ushort CloseCode = 0, string? CloseReason = null);
