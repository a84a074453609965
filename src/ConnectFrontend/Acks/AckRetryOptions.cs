namespace Push.ConnectFrontend.Acks;

/// <summary>How long and how much <see cref="AckRetries"/> keeps the acks of ended sessions.</summary>
public sealed class AckRetryOptions
{
    /// <summary>The wait before the first retry; it doubles after each failed round, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Acks still not taken this long after their session ended are dropped: their messages come again.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most acked messages kept for retrying; beyond it new ones are dropped. An ack is about 150
    /// bytes, so this bounds the memory at a few megabytes whatever the store's outage.
    /// </summary>
    public int MaxMessages { get; init; } = 20_000;

    /// <summary>How long one retry waits for the store before it counts as failed.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
