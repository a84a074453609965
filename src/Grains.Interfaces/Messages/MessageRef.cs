namespace Push.Grains.Messages;

/// <summary>
/// Names a stored message: topic messages by (channel, topic), others by (channel, sort key).
/// </summary>
[GenerateSerializer, Immutable, Alias("Push.MessageRef")]
public readonly record struct MessageRef(
    [property: Id(0)] Guid ChannelId,
    [property: Id(1)] string? Topic,
    [property: Id(2)] long SortKey);

/// <summary>A stored message the client acknowledged, with the version it saw (guards topic replacement).</summary>
[GenerateSerializer, Immutable, Alias("Push.AckedMessage")]
public readonly record struct AckedMessage(
    [property: Id(0)] MessageRef Ref,
    [property: Id(1)] string Version);
