namespace Push.Grains.Messages;

/// <summary>The encryption headers passed to the client (each only when the request had it).</summary>
[GenerateSerializer, Immutable, Alias("Push.NotificationHeaders")]
public sealed record NotificationHeaders(
    [property: Id(0)] string? Encoding,
    [property: Id(1)] string? Encryption,
    [property: Id(2)] string? CryptoKey);
