namespace Push.Grains.Messages;

/// <summary>The store's health as a silo sees it: reachable or not, and why not.</summary>
[GenerateSerializer, Immutable, Alias("Push.StoreHealth")]
public sealed record StoreHealth(
    [property: Id(0)] bool Ok,
    [property: Id(1)] string? Cause);
