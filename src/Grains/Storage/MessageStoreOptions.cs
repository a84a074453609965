namespace Push.Grains.Storage;

/// <summary>Settings of the Redis message store.</summary>
public sealed class MessageStoreOptions
{
    /// <summary>Prefix of every key Push writes for messages.</summary>
    public string KeyPrefix { get; set; } = "push";

    /// <summary>
    /// How long a user's queue index outlives its newest message. Bodies expire with their own TTL;
    /// the index only has to outlive the longest one (<c>max_notification_ttl</c>).
    /// </summary>
    public TimeSpan QueueExpiry { get; set; } = TimeSpan.FromDays(31);
}
