using Push.Grains.Messages;

namespace Push.Grains.Storage;

/// <summary>Messages read from a queue, and how many expired ones were dropped on the way.</summary>
public readonly record struct FetchResult(IReadOnlyList<Notification> Messages, int Expired);

/// <summary>What saving one message did.</summary>
public readonly record struct StoreResult(bool Conflict, int Evicted)
{
    /// <summary>Why evicting beyond the limit failed after the message was saved (the save still stands).</summary>
    public StoreUnavailableException? EvictionFailure { get; init; }

    /// <summary>
    /// Entries in the user's queue once the message is saved and the excess evicted: the new message
    /// included, expired ones that no fetch has removed yet too. Read in the save's own round trip.
    /// </summary>
    public long QueueLength { get; init; }
}

/// <summary>What storing imported messages did.</summary>
public readonly record struct ImportSaveResult(int Saved, int Expired, int Conflicts);

/// <summary>
/// The per-user message queue. Every operation touches only the messages it names, so its cost
/// does not grow with the length of the queue.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Saves a message durably, replacing a stored one with the same topic, and evicts the oldest
    /// others beyond <paramref name="limit"/>. A failed eviction does not fail the save.
    /// </summary>
    Task<StoreResult> SaveAsync(Guid uaid, Notification notification, int limit);

    /// <summary>
    /// Stores messages brought over from another service, durably and in one round trip. Each expires
    /// when its own TTL ends (timestamp plus TTL), not a full TTL from now; one already stored the same
    /// (a re-run) counts as stored; one whose id holds a different message is a conflict and left out.
    /// </summary>
    Task<ImportSaveResult> ImportAsync(Guid uaid, IReadOnlyList<Notification> messages, long nowSeconds);

    /// <summary>The oldest messages with a sort key above <paramref name="afterSortKey"/>; expired ones are removed, not returned.</summary>
    Task<FetchResult> FetchAsync(Guid uaid, long afterSortKey, int limit, long nowSeconds);

    Task<int> CountAsync(Guid uaid);

    /// <summary>Removes acknowledged messages; a topic message is only removed if it is still the acknowledged version.</summary>
    Task RemoveAckedAsync(Guid uaid, IReadOnlyList<AckedMessage> messages);

    Task RemoveAsync(Guid uaid, MessageRef message);

    /// <summary>Removes messages of many users in one round trip; not waited on for durability (an ack lost in a crash only means the message comes again).</summary>
    Task RemoveAsync(IReadOnlyList<UserAcks> messages);

    /// <summary>The user's channels.</summary>
    Task<IReadOnlyList<Guid>> LoadChannelsAsync(Guid uaid);

    /// <summary>Adds channels to the user's set, durably; one entry each, whatever the set's size. The set expires after <paramref name="expiry"/>.</summary>
    Task AddChannelsAsync(Guid uaid, IReadOnlyCollection<Guid> channelIds, TimeSpan expiry);

    /// <summary>Pushes back the expiry of the user's channel set.</summary>
    Task ExpireChannelsAsync(Guid uaid, TimeSpan expiry);

    /// <summary>Removes a channel from the user's set and every stored message of it, durably.</summary>
    Task RemoveChannelAsync(Guid uaid, Guid channelId);

    /// <summary>Deletes the user's channels and messages.</summary>
    Task DeleteAllAsync(Guid uaid);

    /// <summary>Round trip to the store; throws <see cref="StoreUnavailableException"/> when it does not answer.</summary>
    Task PingAsync();
}

/// <summary>The store could not be reached or did not answer in time.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner) : Exception(message, inner);
