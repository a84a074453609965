namespace Push.Grains.Storage;

/// <summary>Settings of the Redis message store.</summary>
public sealed class MessageStoreOptions
{
    /// <summary>How much longer than the longest message TTL a user's queue index lives without a new message.</summary>
    public static readonly TimeSpan QueueExpiryMargin = TimeSpan.FromDays(1);

    /// <summary>Prefix of every key Push writes for messages.</summary>
    public string KeyPrefix { get; set; } = "push";

    /// <summary>
    /// How long a user's queue index outlives its newest message. Bodies expire with their own TTL;
    /// the index must outlive the longest one, so the host derives it from <c>max_notification_ttl</c>
    /// (<see cref="ForMaxTtl"/>). Each save also keeps it at least the saved message's TTL plus the margin.
    /// </summary>
    public TimeSpan QueueExpiry { get; set; } = ForMaxTtl(2_592_000);

    /// <summary>The queue expiry for a <c>max_notification_ttl</c> in seconds.</summary>
    public static TimeSpan ForMaxTtl(long maxTtlSeconds) => TimeSpan.FromSeconds(maxTtlSeconds) + QueueExpiryMargin;
}
