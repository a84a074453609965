using Push.Shared.Settings;

namespace Push.ConnectFrontend.Sessions;

/// <summary>Everything a session needs to know about its frontend.</summary>
public sealed class ConnectFrontendOptions
{
    public required ConnectSettings Settings { get; init; }

    /// <summary>Base of the push endpoint URLs handed out at register (scheme://host[:port]).</summary>
    public required string EndpointBaseUrl { get; init; }

    /// <summary>
    /// How often a session renews its observer with its grain. This also repairs a session whose
    /// grain was lost with its silo, and picks up stored messages a dropped doorbell missed.
    /// </summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new connection to the WebSocket port has to send its whole request head; a slower one
    /// is dropped (as the HTTP server drops a request whose headers take longer than its own limit).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> names the client of a WebSocket taken straight off the
    /// connection (the HTTP server applies the same list to every other request). Empty: no one.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>The largest text message accepted from a client; larger ones close with 1002.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>The shortest gap between two WebPush-level pings (<c>{}</c>) a client may send.</summary>
    public TimeSpan MinPingInterval { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>How long one send may take before the client is taken to have stopped reading.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing session waits for the client's close frame.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When a silo leaves the cluster, sessions renew with their grains at random points within this time.</summary>
    public TimeSpan RepairSpread { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a failed grain call, a renewal comes after this time plus up to as much again.</summary>
    public TimeSpan RenewRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a session waits for a grain call before it counts as failed (a renewal follows soon).</summary>
    public TimeSpan GrainCallTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
