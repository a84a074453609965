using System.Net.WebSockets;
using Push.ConnectFrontend.Protocol;

namespace Push.ConnectFrontend.Tests.Protocol;

public sealed class CloseReasonTests
{
    [Fact]
    public void Superseded_SendsWhatAStateMachineErrorSendsButIsLabelledGhost()
    {
        Assert.Equal((CloseReason.StateMachine.Status, CloseReason.StateMachine.Description), (CloseReason.Superseded.Status, CloseReason.Superseded.Description));

        Assert.Equal("SM", CloseReason.StateMachine.Label);
        Assert.Equal("Ghost", CloseReason.Superseded.Label);
        Assert.Equal("Internal", CloseReason.Internal.Label);
    }

    [Fact]
    public void Label_ClientText_IsClient() =>
        Assert.Equal("client", new CloseReason(WebSocketCloseStatus.NormalClosure, "Ghost").Label);
}
