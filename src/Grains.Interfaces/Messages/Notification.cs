namespace Push.Grains.Messages;

/// <summary>
/// One push message as accepted by the endpoint and delivered to the client.
/// </summary>
/// <param name="ChannelId">The subscription it is for.</param>
/// <param name="Version">The message id (Fernet token) the client acks with.</param>
/// <param name="Ttl">Effective time to live, seconds; 0 means deliver now or never.</param>
/// <param name="Timestamp">Receipt time, seconds since the epoch.</param>
/// <param name="Topic">The Topic header, if any: a newer stored message with the same topic replaces this one.</param>
/// <param name="SortKey">Receipt time in microseconds since the epoch, unique per user; orders the queue.</param>
/// <param name="Data">The body as base64url without padding, or null for an empty body.</param>
/// <param name="Headers">Normalised encryption headers for the client, or null.</param>
/// <param name="Urgency">RFC 8030 urgency of the message.</param>
[GenerateSerializer, Immutable, Alias("Push.Notification")]
public sealed record Notification(
    [property: Id(0)] Guid ChannelId,
    [property: Id(1)] string Version,
    [property: Id(2)] long Ttl,
    [property: Id(3)] long Timestamp,
    [property: Id(4)] string? Topic,
    [property: Id(5)] long SortKey,
    [property: Id(6)] string? Data,
    [property: Id(7)] NotificationHeaders? Headers,
    [property: Id(8)] Urgency Urgency)
{
    /// <summary>Identifies the stored copy of this message.</summary>
    public MessageRef Ref => new(ChannelId, Topic, SortKey);

    /// <summary>True when the message has outlived its TTL at <paramref name="nowSeconds"/>.</summary>
    public bool IsExpired(long nowSeconds) => nowSeconds >= Timestamp + Ttl;
}
