using Push.ConnectFrontend.Protocol;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Sessions;

/// <summary>Something for a session's loop to handle, in order.</summary>
internal abstract class SessionEvent;

/// <summary>A text message from the client. Its bytes are taken once, so a handled frame holds nothing.</summary>
internal sealed class FrameReceived(ReadOnlyMemory<byte> utf8) : SessionEvent
{
    private ReadOnlyMemory<byte> _utf8 = utf8;

    public int Length { get; } = utf8.Length;

    public ReadOnlyMemory<byte> Take()
    {
        var utf8 = _utf8;
        _utf8 = default;
        return utf8;
    }
}

/// <summary>The socket ended: with a reason to close with, or null when the peer simply went away.</summary>
internal sealed class SocketEnded(CloseReason? reason) : SessionEvent
{
    public CloseReason? Reason { get; } = reason;
}

/// <summary>A message the user's grain pushed to this session.</summary>
internal sealed class Delivered(Notification notification) : SessionEvent
{
    public Notification Notification { get; } = notification;
}

/// <summary>Wakes the loop to look at <see cref="SessionSignals"/>; carries nothing, so one instance serves all.</summary>
internal sealed class SignalRaised : SessionEvent
{
    public static readonly SignalRaised Instance = new();
}

/// <summary>Things that happen to a session from outside its loop, kept as bits so none is ever lost to a full queue.</summary>
[Flags]
internal enum SessionSignals
{
    None = 0,

    /// <summary>A delivery did not fit the queue; the message is stored.</summary>
    MissedDelivery = 1,

    /// <summary>The keep-alive timer fired.</summary>
    Tick = 4,

    /// <summary>A newer connection of the same user took over.</summary>
    Superseded = 8,

    /// <summary>A silo left the cluster: renew soon, the user's grain may have gone with it.</summary>
    RepairGrain = 16,

    /// <summary>The frontend is shutting down.</summary>
    Shutdown = 32,
}
