namespace Push.ConnectFrontend.WebSockets;

/// <summary>Told when a send to the client starts and ends, so that one that never ends can be cut off.</summary>
internal interface ISendWatch
{
    void SendStarted();

    void SendEnded();
}
