using Microsoft.Extensions.Logging;

namespace Push.ConnectFrontend.Acks;

internal sealed partial class AckRetries
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} acknowledged message(s) of ended sessions from the store after a failed attempt")]
    private partial void LogApplied(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} acknowledgement(s) of ended sessions that the store did not take within {Seconds} s or that found {Limit} already waiting; those messages will be sent again")]
    private partial void LogDropped(int count, double seconds, int limit);
}
