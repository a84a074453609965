using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Protocol;

namespace Push.ConnectFrontend.Sessions;

/// <summary>What one session did, logged once when it closes (like autopush's <c>Session</c> record).</summary>
internal sealed class SessionStats
{
    public string UserAgent { get; set; } = string.Empty;

    /// <summary>The client's address: the connection's, or the one a trusted proxy forwarded.</summary>
    public string RemoteAddress { get; set; } = string.Empty;

    public bool ExistingUaid { get; set; }
    public int Direct { get; set; }
    public int Stored { get; set; }
    public int Acked { get; set; }
    public int Nacks { get; set; }
    public int Registers { get; set; }
    public int Unregisters { get; set; }

    public void Log(ILogger logger, string uaidHash, CloseReason? close, TimeSpan duration) =>
        PushSession.LogSession(logger, uaidHash, ExistingUaid, (long)duration.TotalSeconds, Direct, Stored, Acked, Nacks, Registers, Unregisters,
            close?.Label ?? "client", UserAgent, RemoteAddress);
}
