using System.Net.WebSockets;

namespace Push.ConnectFrontend.Protocol;

/// <summary>
/// How a session ends: the close code and the short reason text the reference sends
/// (the name of the error, never a JSON body).
/// </summary>
/// <param name="Kind">The label for logs and metrics when it must say more than the wire text (null: the text).</param>
internal readonly record struct CloseReason(WebSocketCloseStatus Status, string Description, string? Kind = null)
{
    private static readonly HashSet<string> ServerReasons =
        ["SM", "Json", "UnsupportedMessage", "Protocol", "StreamClosed", "HandshakeTimeout", "PongTimeout", "Shutdown", "TooManyCommands"];

    /// <summary>
    /// A bounded name for metrics and logs: the server's own reasons, or "client" for a close the client
    /// started (whose text is the client's and must never become a label).
    /// </summary>
    public string Label => Kind ?? (ServerReasons.Contains(Description) ? Description : "client");

    /// <summary>A state-machine error: a non-hello first message, a second hello, a bad channel id, excessive pings.</summary>
    public static CloseReason StateMachine => new(WebSocketCloseStatus.InternalServerError, "SM");

    /// <summary>A newer connection of the same user took over. The wire says "SM" like the reference; logs and metrics say "Ghost".</summary>
    public static CloseReason Superseded => new(WebSocketCloseStatus.InternalServerError, "SM", "Ghost");

    /// <summary>A grain call or the session itself failed. The wire says "SM" like the reference; logs and metrics say "Internal".</summary>
    public static CloseReason Internal => new(WebSocketCloseStatus.InternalServerError, "SM", "Internal");

    /// <summary>
    /// More register/unregister commands than <c>client_command_rate</c> allows. The reference has no such
    /// limit; 1008 (policy violation) is the standard code for a peer breaking the server's policy.
    /// </summary>
    public static CloseReason TooManyCommands => new(WebSocketCloseStatus.PolicyViolation, "TooManyCommands");

    /// <summary>A text frame that is not valid protocol JSON.</summary>
    public static CloseReason Json => new(WebSocketCloseStatus.InternalServerError, "Json");

    /// <summary>A binary or otherwise non-text data frame.</summary>
    public static CloseReason Unsupported => new(WebSocketCloseStatus.InvalidMessageType, "UnsupportedMessage");

    /// <summary>A WebSocket protocol violation, such as an oversized message.</summary>
    public static CloseReason Protocol => new(WebSocketCloseStatus.ProtocolError, "Protocol");

    /// <summary>The stream ended before hello.</summary>
    public static CloseReason StreamClosed => new(WebSocketCloseStatus.InternalServerError, "StreamClosed");

    /// <summary>No pong within <c>auto_ping_timeout</c> of a ping.</summary>
    public static CloseReason PongTimeout => new(WebSocketCloseStatus.InternalServerError, "PongTimeout");

    public static CloseReason HandshakeTimeout => new(WebSocketCloseStatus.InternalServerError, "HandshakeTimeout");

    /// <summary>The service is shutting down; clients should reconnect (to another frontend) at once.</summary>
    public static CloseReason ServerShutdown => new(WebSocketCloseStatus.EndpointUnavailable, "Shutdown");
}
