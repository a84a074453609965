namespace Push.Grains.Messages;

/// <summary>The outcome of handing a message to the grains.</summary>
[GenerateSerializer, Alias("Push.DeliveryStatus")]
public enum DeliveryStatus : byte
{
    /// <summary>Stored (TTL &gt; 0) and/or handed to the live session.</summary>
    Accepted = 0,

    /// <summary>The subscription does not exist (410, errno 106).</summary>
    NoSubscription = 1,

    /// <summary>The store could not save the message (503, errno 201).</summary>
    StoreUnavailable = 2,

    /// <summary>Another message already holds this exact sort key; retry with a fresh one.</summary>
    Conflict = 3,
}

/// <summary>The outcome of registering a channel.</summary>
[GenerateSerializer, Alias("Push.ChannelAdded")]
public enum ChannelAdded : byte
{
    /// <summary>The channel is registered (newly, or it already was); durable.</summary>
    Added = 0,

    /// <summary>The user already has the most channels a user may have; nothing changed.</summary>
    LimitReached = 1,
}

/// <summary>Answer to a session's hello.</summary>
[GenerateSerializer, Immutable, Alias("Push.HelloResult")]
public sealed record HelloResult(
    [property: Id(0)] bool Known,
    [property: Id(1)] int StoredCount);

/// <summary>Answer to a session's periodic renewal of its observer.</summary>
[GenerateSerializer, Immutable, Alias("Push.RenewResult")]
public sealed record RenewResult(
    [property: Id(0)] bool Superseded,
    [property: Id(1)] int StoredCount);

/// <summary>Why the grain asks a session to close.</summary>
[GenerateSerializer, Alias("Push.DisconnectReason")]
public enum DisconnectReason : byte
{
    /// <summary>A newer connection for the same user took over.</summary>
    Ghosted = 0,
}
