namespace Push.Shared;

/// <summary>
/// The health routes every Push process serves on its internal port (and the frontends on their
/// public ports too), named once so that load balancer and probe settings can be checked against them.
/// </summary>
public static class HealthPaths
{
    /// <summary>200 while the process runs: for liveness and readiness probes and load balancers.</summary>
    public const string LoadBalancerHeartbeat = "/__lbheartbeat__";

    /// <summary>Whether the store answers through the cluster (and whether the crypto keys agree), as JSON.</summary>
    public const string Health = "/health";

    /// <summary>The same as <see cref="Health"/>, under autopush's other name.</summary>
    public const string Heartbeat = "/__heartbeat__";

    /// <summary>The store check alone.</summary>
    public const string Status = "/status";

    /// <summary>The build's version, as JSON.</summary>
    public const string Version = "/__version__";

    /// <summary>Prometheus text; served on the internal port only, never on a public one.</summary>
    public const string Metrics = "/metrics";

    /// <summary>The health routes (not <see cref="Metrics"/>).</summary>
    public static IReadOnlyList<string> All { get; } = [LoadBalancerHeartbeat, Health, Heartbeat, Status, Version];
}
