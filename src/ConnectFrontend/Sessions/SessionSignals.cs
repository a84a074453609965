namespace Push.ConnectFrontend.Sessions;

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
