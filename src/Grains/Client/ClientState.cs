namespace Push.Grains.Client;

/// <summary>The persisted user record. A user exists once it has registered its first channel.</summary>
[GenerateSerializer, Alias("Push.ClientState")]
public sealed class ClientState
{
    [Id(0)] public bool Exists { get; set; }

    /// <summary>
    /// Channels as older versions kept them; now they live in a hash of the message store (one entry
    /// per channel), and a record that still has some is migrated when its grain activates.
    /// </summary>
    [Id(1)] public HashSet<Guid> Channels { get; set; } = [];

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a session or a register last refreshed the user's expiry (at most daily).</summary>
    [Id(3)] public DateTimeOffset LastSeen { get; set; }
}
