namespace Push.Silo.Hosting;

/// <summary>One port a Push process listens on.</summary>
/// <param name="Name">What it serves (one of the <see cref="HostPorts"/> names).</param>
/// <param name="Number">The port number.</param>
/// <param name="IsPublic">True for the ports meant for phones and app servers; the others stay private.</param>
public sealed record HostPort(string Name, int Number, bool IsPublic);

/// <summary>
/// The ports a process listens on for its role and settings: what the host binds, and what a
/// container or a firewall must open.
/// </summary>
public static class HostPorts
{
    public const string WebSocket = "websocket";
    public const string Router = "router";
    public const string Endpoint = "endpoint";
    public const string Health = "health";
    public const string Dashboard = "dashboard";
    public const string Silo = "silo";
    public const string Gateway = "gateway";

    /// <summary>Every port, HTTP and Orleans.</summary>
    public static IReadOnlyList<HostPort> Of(PushConfiguration configuration)
    {
        var ports = Http(configuration).ToList();
        if (configuration.Role is HostRole.All or HostRole.Silo)
        {
            ports.Add(new HostPort(Silo, configuration.Silo.SiloPort, false));
            ports.Add(new HostPort(Gateway, configuration.Silo.GatewayPort, false));
        }

        return ports;
    }

    /// <summary>The ports Kestrel serves (health, metrics and the dashboard included).</summary>
    public static IReadOnlyList<HostPort> Http(PushConfiguration configuration)
    {
        var role = configuration.Role;
        var ports = new List<HostPort>();
        if (role is HostRole.All or HostRole.Connect)
        {
            ports.Add(new HostPort(WebSocket, configuration.Connect.Port, true));
            ports.Add(new HostPort(Router, configuration.Connect.RouterPort, false));
        }

        if (role is HostRole.All or HostRole.Endpoint)
        {
            ports.Add(new HostPort(Endpoint, configuration.Endpoint.Port, true));
        }

        if (role is HostRole.Silo or HostRole.Endpoint)
        {
            // The internal port of these roles: health and metrics.
            ports.Add(new HostPort(Health, configuration.Silo.HealthPort, false));
        }

        // The dashboard may share the internal port; then it adds no port.
        if (configuration.Silo.DashboardPort is { } dashboard && ports.TrueForAll(p => p.Number != dashboard))
        {
            ports.Add(new HostPort(Dashboard, dashboard, false));
        }

        return ports;
    }
}
