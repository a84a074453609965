namespace Push.Grains.Messages;

/// <summary>One user's acknowledged messages, as carried in a batch of many users' acks.</summary>
[GenerateSerializer, Immutable, Alias("Push.UserAcks")]
public sealed record UserAcks(
    [property: Id(0)] Guid Uaid,
    [property: Id(1)] IReadOnlyList<MessageRef> Messages);
