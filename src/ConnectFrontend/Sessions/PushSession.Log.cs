using Microsoft.Extensions.Logging;

namespace Push.ConnectFrontend.Sessions;

/// <summary>Every log message of a session and its parts.</summary>
internal sealed partial class PushSession
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call '{Operation}' failed")]
    internal static partial void LogGrainCallFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session failed")]
    internal static partial void LogSessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventName = "Session", Level = LogLevel.Information,
        Message = "Session uaid_hash={UaidHash} existing_uaid={ExistingUaid} connection_time={ConnectionTime} direct={Direct} stored={Stored} acked={Acked} nacks={Nacks} registers={Registers} unregisters={Unregisters} disconnect_reason={DisconnectReason} ua={UserAgent} remote_ip={RemoteIp}")]
    internal static partial void LogSession(ILogger logger, string uaidHash, bool existingUaid, long connectionTime, int direct, int stored, int acked, int nacks,
        int registers, int unregisters, string disconnectReason, string userAgent, string remoteIp);
}
