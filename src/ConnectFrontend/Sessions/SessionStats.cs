using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Protocol;

namespace Push.ConnectFrontend.Sessions;

/// <summary>What one session did, logged once when it closes (like autopush's <c>Session</c> record).</summary>
internal sealed partial class SessionStats
{
    public string UserAgent { get; set; } = string.Empty;
    public bool ExistingUaid { get; set; }
    public int Direct { get; set; }
    public int Stored { get; set; }
    public int Acked { get; set; }
    public int Nacks { get; set; }
    public int Registers { get; set; }
    public int Unregisters { get; set; }

    public void Log(ILogger logger, string uaidHash, CloseReason? close, TimeSpan duration) =>
        LogSession(logger, uaidHash, ExistingUaid, (long)duration.TotalSeconds, Direct, Stored, Acked, Nacks, Registers, Unregisters,
            close?.Label ?? "client", UserAgent);

    [LoggerMessage(EventName = "Session", Level = LogLevel.Information,
        Message = "Session uaid_hash={UaidHash} existing_uaid={ExistingUaid} connection_time={ConnectionTime} direct={Direct} stored={Stored} acked={Acked} nacks={Nacks} registers={Registers} unregisters={Unregisters} disconnect_reason={DisconnectReason} ua={UserAgent}")]
    private static partial void LogSession(ILogger logger, string uaidHash, bool existingUaid, long connectionTime, int direct, int stored, int acked, int nacks,
        int registers, int unregisters, string disconnectReason, string userAgent);
}
