using System.Threading.RateLimiting;
using Push.EndpointFrontend.Hosting;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.WebPush;

/// <summary>
/// The optional per-subscription limit (<c>rate_limit_per_minute</c>): a token bucket per endpoint, as
/// RFC 8030 senders expect ("rate-limit per endpoint, not per host"). Buckets live in memory, per
/// endpoint frontend; idle ones are dropped, so memory follows the subscriptions pushed to recently.
/// </summary>
internal sealed class SubscriptionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<EndpointTokenInfo>? _limiter;

    public SubscriptionRateLimiter(EndpointFrontendOptions options)
    {
        if (options.RateLimit is not { } limit)
        {
            return;
        }

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limit.PerMinute,
            QueueLimit = 0,
            // The partitioned limiter replenishes every bucket from one timer instead of one timer each.
            AutoReplenishment = false,
        };
        _limiter = PartitionedRateLimiter.Create<EndpointTokenInfo, (Guid, Guid)>(
            target => RateLimitPartition.GetTokenBucketLimiter((target.Uaid, target.ChannelId), _ => bucket));
    }

    /// <summary>True when the push may go on; otherwise how long the sender should wait.</summary>
    public bool TryAcquire(EndpointTokenInfo target, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(target);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
