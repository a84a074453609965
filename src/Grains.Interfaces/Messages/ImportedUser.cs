namespace Push.Grains.Messages;

/// <summary>
/// A user brought over from another push service (autopush's store): the channels it had and the
/// messages still waiting for it, oldest first, with their original TTL, topic, timestamp and id.
/// </summary>
[GenerateSerializer, Immutable, Alias("Push.ImportedUser")]
public sealed record ImportedUser(
    [property: Id(0)] IReadOnlyList<Guid> Channels,
    [property: Id(1)] IReadOnlyList<Notification> Messages);

/// <summary>What importing a user did.</summary>
[GenerateSerializer, Alias("Push.ImportOutcome")]
public enum ImportOutcome : byte
{
    /// <summary>The user, its channels and its messages are stored; durable.</summary>
    Imported = 0,

    /// <summary>Push already knows the user (an earlier import, or it registered here since): nothing was changed.</summary>
    AlreadyPresent = 1,
}

/// <summary>The outcome of importing a user, and what became of its messages.</summary>
/// <param name="Messages">Messages stored (including ones an interrupted earlier run had already stored the same).</param>
/// <param name="Expired">Messages whose TTL ran out before they could be stored.</param>
/// <param name="Conflicts">Messages not stored because a different one already holds their id.</param>
[GenerateSerializer, Immutable, Alias("Push.ImportResult")]
public sealed record ImportResult(
    [property: Id(0)] ImportOutcome Outcome,
    [property: Id(1)] int Messages,
    [property: Id(2)] int Expired,
    [property: Id(3)] int Conflicts);
