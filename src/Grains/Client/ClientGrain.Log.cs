using Microsoft.Extensions.Logging;

namespace Push.Grains.Client;

internal sealed partial class ClientGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing back a user's expiry failed; the next session renewal retries")]
    private partial void LogTouchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message store is unavailable; a push was refused")]
    private partial void LogStoreUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message was stored but evicting beyond the queue's cap failed; the next save evicts the excess")]
    private partial void LogEvictionFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted {Count} oldest stored message(s): the queue is capped at {Limit}")]
    private partial void LogEvicted(int count, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing messages of refused pushes, acks or deletes failed; retried once the store answers")]
    private partial void LogSettleFailed(Exception exception);
}
