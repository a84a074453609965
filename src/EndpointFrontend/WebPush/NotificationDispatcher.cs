using Push.EndpointFrontend.Hosting;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.WebPush;

/// <summary>What the sender asked to deliver, once its request is validated.</summary>
internal sealed record PushRequest(EndpointTokenInfo Target, string? Data, long Ttl, string? Topic, NotificationHeaders? Headers, Urgency Urgency);

/// <summary>
/// Gives a validated message its sort key and message id and hands it to the user's grain in one
/// call. A sort key another process happened to use too is replaced and the call retried.
/// A call the cluster rejected without running it (a silo leaving or just gone) is retried after a
/// short pause, when the grain has moved: a silo scaled in gracefully costs senders nothing. The retry
/// carries the same message, which the store saves once however often it arrives.
/// </summary>
internal sealed class NotificationDispatcher(IGrainFactory grains, EndpointFrontendOptions options, TimeProvider time)
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan[] RejectionBackoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    /// <returns>The outcome, and the message id when it was accepted.</returns>
    public async Task<(DeliveryStatus Status, string? Version)> DispatchAsync(PushRequest request)
    {
        var user = grains.GetClientGrain(request.Target.Uaid);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var sortKey = SortKeyClock.Next(time);
            var id = new MessageIdInfo(request.Target.Uaid, request.Target.ChannelId, request.Topic, request.Topic is null ? (ulong)sortKey : 0);
            var version = MessageId.Encrypt(options.Settings.CryptoKeys, id);
            var notification = new Notification(request.Target.ChannelId, version, request.Ttl, now, request.Topic, sortKey, request.Data, request.Headers, request.Urgency);
            var status = await PushRetryingRejectionsAsync(user, notification);
            if (status != DeliveryStatus.Conflict)
            {
                return (status, status == DeliveryStatus.Accepted ? version : null);
            }
        }

        return (DeliveryStatus.StoreUnavailable, null);
    }

    private async Task<DeliveryStatus> PushRetryingRejectionsAsync(IClientGrain user, Notification notification)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await user.DeliverAsync(notification);
            }
            catch (Exception e) when (attempt < RejectionBackoff.Length && IsRejection(e))
            {
                await Task.Delay(RejectionBackoff[attempt], time);
            }
        }
    }

    // Timeouts are not among these: the call may still be running, and it already took its full time.
    private static bool IsRejection(Exception e) => e is OrleansMessageRejectionException or SiloUnavailableException;
}
