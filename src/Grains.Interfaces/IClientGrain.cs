using Push.Grains.Messages;
using Push.Grains.Observers;

namespace Push.Grains;

/// <summary>
/// One user agent (UAID): its record, its set of channels, the observer of its live session and
/// its stored message queue, capped at <c>msg_limit</c>.
/// </summary>
[Alias("Push.IClientGrain")]
public interface IClientGrain : IGrainWithGuidKey
{
    /// <summary>
    /// A session says hello. For an existing user (or <paramref name="newUser"/>) the session's
    /// observer becomes the live one and any older session is told to close; an unknown user
    /// (not <paramref name="newUser"/>) gets <c>Known = false</c> and nothing changes.
    /// </summary>
    [Alias("Hello")]
    Task<HelloResult> HelloAsync(Guid sessionId, IClientObserver observer, bool newUser);

    /// <summary>Keeps the session's observer registered; tells a superseded session so.</summary>
    [Alias("Renew")]
    Task<RenewResult> RenewAsync(Guid sessionId, IClientObserver observer);

    /// <summary>The session ended; forget its observer if it is still the live one.</summary>
    [Alias("SessionEnded")]
    Task SessionEndedAsync(Guid sessionId);

    /// <summary>
    /// Adds a channel (and creates the user record on the first one); durable when it returns. A user
    /// at the channel limit gets <see cref="ChannelAdded.LimitReached"/> for a new channel.
    /// </summary>
    [Alias("AddChannel")]
    Task<ChannelAdded> AddChannelAsync(Guid channelId);

    /// <summary>Removes a channel and every stored message of it; an unknown channel costs nothing.</summary>
    [Alias("RemoveChannel")]
    Task RemoveChannelAsync(Guid channelId);

    /// <summary>Whether pushes to this channel are accepted (used to rank errors as the reference does).</summary>
    [Alias("HasChannel")]
    Task<bool> HasChannelAsync(Guid channelId);

    /// <summary>Whether the user record exists (it is written with the first channel).</summary>
    [Alias("Exists")]
    Task<bool> ExistsAsync();

    [Alias("GetChannels")]
    Task<IReadOnlyList<Guid>> GetChannelsAsync();

    /// <summary>
    /// Stores (TTL &gt; 0) and hands a message to the live session; <see cref="DeliveryStatus.NoSubscription"/>
    /// for a channel the user does not have. The endpoint calls this directly: one grain call per push.
    /// </summary>
    [Alias("Deliver")]
    Task<DeliveryStatus> DeliverAsync(Notification notification);

    /// <summary>The oldest stored messages with a sort key above <paramref name="afterSortKey"/>; expired ones are dropped.</summary>
    [Alias("Fetch")]
    Task<IReadOnlyList<Notification>> FetchAsync(long afterSortKey, int limit);

    /// <summary>Removes acknowledged messages from the store.</summary>
    [Alias("Ack")]
    Task AckAsync(IReadOnlyList<AckedMessage> messages);

    /// <summary>Removes one stored message (the sender's <c>DELETE /m/{id}</c>).</summary>
    [Alias("DeleteMessage")]
    Task DeleteMessageAsync(MessageRef message);

    /// <summary>
    /// Creates the user from another service's data (<c>import-autopush</c>): channels and messages first,
    /// the record last, so an interrupted import leaves no user and simply runs again. A user Push
    /// already has is left as it is.
    /// </summary>
    [Alias("Import")]
    Task<ImportResult> ImportAsync(ImportedUser user);

    /// <summary>Deletes the user, its channels and its stored messages.</summary>
    [Alias("Drop")]
    Task DropAsync();
}
