using System.Net;
using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>One port a Push process listens on.</summary>
/// <param name="Name">What it serves (one of the <see cref="HostPorts"/> names).</param>
/// <param name="Number">The port number.</param>
/// <param name="IsPublic">True for the ports meant for phones and app servers; the others stay private.</param>
/// <param name="Setting">The setting that chose it, as errors name it: <c>port (AUTOCONNECT__PORT)</c>.</param>
/// <param name="Address">
/// Where it listens: <see cref="IPAddress.Any"/> for every interface, <see cref="IPAddress.Loopback"/>
/// for this machine only (IPv4 and IPv6 loopback), else that one address.
/// </param>
public sealed record HostPort(string Name, int Number, bool IsPublic, string Setting, IPAddress Address);

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
            // A silo alone on the embedded store talks to nobody else: loopback.
            var address = configuration.DbDsn is null ? IPAddress.Loopback : IPAddress.Any;
            var silo = configuration.Silo;
            ports.Add(new HostPort(Silo, silo.SiloPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "silo_port"), address));
            ports.Add(new HostPort(Gateway, silo.GatewayPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "gateway_port"), address));
        }

        return ports;
    }

    /// <summary>The ports Kestrel serves (health, metrics and the dashboard included).</summary>
    public static IReadOnlyList<HostPort> Http(PushConfiguration configuration)
    {
        var role = configuration.Role;
        var (connect, endpoint, silo) = (configuration.Connect, configuration.Endpoint, configuration.Silo);
        var internalAddress = silo.InternalHost is { } internalHost ? IPAddress.Parse(internalHost)
            // One process: nothing else needs its metrics or dashboard, so only this machine reaches them.
            : role == HostRole.All ? IPAddress.Loopback
            : IPAddress.Any;
        var ports = new List<HostPort>();
        if (role is HostRole.All or HostRole.Connect)
        {
            ports.Add(new HostPort(WebSocket, connect.Port, true, connect.Resolved.Describe(ConnectSettings.EnvironmentPrefix, "port"), IPAddress.Any));
            ports.Add(new HostPort(Router, connect.RouterPort, false, connect.Resolved.Describe(ConnectSettings.EnvironmentPrefix, "router_port"), internalAddress));
        }

        if (role is HostRole.All or HostRole.Endpoint)
        {
            var address = endpoint.Host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(endpoint.Host, out var ip) ? ip
                // A host name (such as a container's service name) is reached on every interface.
                : IPAddress.Any;
            ports.Add(new HostPort(Endpoint, endpoint.Port, true, endpoint.Resolved.Describe(EndpointSettings.EnvironmentPrefix, "port"), address));
        }

        if (role is HostRole.Silo or HostRole.Endpoint)
        {
            // The internal port of these roles: health and metrics.
            ports.Add(new HostPort(Health, silo.HealthPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "health_port"), internalAddress));
        }

        // The dashboard may share the internal port; then it adds no port.
        if (silo.DashboardPort is { } dashboard && ports.TrueForAll(p => p.Number != dashboard))
        {
            ports.Add(new HostPort(Dashboard, dashboard, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "dashboard_port"), internalAddress));
        }

        return ports;
    }

    /// <summary>The internal port of the role: health routes and <c>/metrics</c> (<c>router_port</c>, else <c>health_port</c>).</summary>
    public static HostPort Internal(PushConfiguration configuration) =>
        Http(configuration).First(p => p.Name is Router or Health);
}
