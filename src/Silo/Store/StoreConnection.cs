using StackExchange.Redis;

namespace Push.Silo.Store;

/// <summary>
/// How every Push process talks to its store (Redis, Valkey or the embedded Garnet) when the store
/// fails: a command fails at once instead of queueing while the connection is down (a queued write
/// could land after its push was refused, and reach the phone anyway), waits at most
/// <see cref="CommandTimeout"/> for its reply, and the client reconnects within about a second of the
/// store coming back.
/// </summary>
public static class StoreConnection
{
    /// <summary>The longest a command waits for its reply before it counts as failed.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How often the client checks for timed-out commands and retries a lost connection.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a reconnection attempt may take before the next one starts.</summary>
    public static readonly TimeSpan ReconnectInterval = TimeSpan.FromSeconds(1);

    /// <summary>Sets the failure behaviour on <paramref name="options"/> and returns them.</summary>
    public static ConfigurationOptions FailFast(ConfigurationOptions options)
    {
        // Keep retrying while the store is down instead of failing start-up or the first commands.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        options.HeartbeatInterval = Heartbeat;
        // The default backs off exponentially up to 10 s, so service could resume long after the store.
        options.ReconnectRetryPolicy = new LinearRetry((int)ReconnectInterval.TotalMilliseconds);
        options.ClientName = "push";
        return options;
    }
}
