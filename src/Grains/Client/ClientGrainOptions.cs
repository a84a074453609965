namespace Push.Grains.Client;

/// <summary>Tuning of <see cref="ClientGrain"/>.</summary>
public sealed class ClientGrainOptions
{
    /// <summary>The most messages one user's queue holds; the oldest is evicted beyond it (<c>msg_limit</c>).</summary>
    public int MessageLimit { get; set; } = 1000;

    /// <summary>
    /// How long a session's observer counts as live without a renewal. Sessions renew far more often,
    /// so a stale observer of a dead frontend is forgotten after this.
    /// </summary>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The most channels one user may have (autopush has no limit). Firefox uses one per site that
    /// subscribed; beyond this, unauthenticated registrations would only grow the store.
    /// </summary>
    public int ChannelLimit { get; set; } = 1000;

    /// <summary>
    /// How long a user no session has seen lives on (autopush: 60 days). The user record and the channel
    /// set expire after it; hello, renew and register push the expiry back, at most once a day.
    /// </summary>
    public TimeSpan UserExpiry { get; set; } = TimeSpan.FromDays(60);

    /// <summary>
    /// The longest a push waits for its message to be stored (<c>save_timeout</c>). Beyond it the push is
    /// refused (503) and the message, which may still land, is never delivered: senders get an answer
    /// within a second even when the store stalls, and can tell "refused" from "slow".
    /// </summary>
    public TimeSpan SaveTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest batch a session may fetch at once.</summary>
    public int MaxFetchBatch { get; set; } = 500;
}
