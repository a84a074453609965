namespace Push.Grains.Channel;

/// <summary>The persisted subscription record.</summary>
[GenerateSerializer, Alias("Push.ChannelState")]
public sealed class ChannelState
{
    [Id(0)] public bool Registered { get; set; }

    /// <summary>SHA-256 of the VAPID public key the subscription was made with, if any.</summary>
    [Id(1)] public byte[]? KeyHash { get; set; }

    [Id(2)] public DateTimeOffset RegisteredAt { get; set; }
}
