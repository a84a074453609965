using System.Net;
using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>Where a port listens.</summary>
public enum ListenScope
{
    /// <summary>Every interface, IPv4 and IPv6.</summary>
    EveryInterface,

    /// <summary>This machine only: the IPv4 and IPv6 loopback ("localhost").</summary>
    Localhost,

    /// <summary>One address (<see cref="HostPort.Address"/>).</summary>
    Address,
}

/// <summary>One port a Push process listens on.</summary>
/// <param name="Name">What it serves (one of the <see cref="HostPorts"/> names).</param>
/// <param name="Number">The port number.</param>
/// <param name="IsPublic">True for the ports meant for phones and app servers; the others stay private.</param>
/// <param name="Setting">The setting that chose it, as errors name it: <c>port (AUTOCONNECT__PORT)</c>.</param>
/// <param name="Scope">Where it listens.</param>
/// <param name="Address">The address, when <paramref name="Scope"/> is <see cref="ListenScope.Address"/>.</param>
public sealed record HostPort(string Name, int Number, bool IsPublic, string Setting, ListenScope Scope, IPAddress? Address = null)
{
    /// <summary>An address a client on this machine reaches it at.</summary>
    public IPAddress LocalAddress => Scope == ListenScope.Address && !Address!.Equals(IPAddress.Any) && !Address.Equals(IPAddress.IPv6Any) ? Address : IPAddress.Loopback;
}

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
            ports.Add(new HostPort(Silo, silo.SiloPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "silo_port"), ListenScope.Address, address));
            ports.Add(new HostPort(Gateway, silo.GatewayPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "gateway_port"), ListenScope.Address, address));
        }

        return ports;
    }

    /// <summary>The ports Kestrel serves (health, metrics and the dashboard included).</summary>
    public static IReadOnlyList<HostPort> Http(PushConfiguration configuration)
    {
        var role = configuration.Role;
        var (connect, endpoint, silo) = (configuration.Connect, configuration.Endpoint, configuration.Silo);
        var (internalScope, internalAddress) = silo.InternalHost is { } internalHost ? (ListenScope.Address, IPAddress.Parse(internalHost))
            // One process: nothing else needs its metrics or dashboard, so only this machine reaches them.
            : role == HostRole.All ? (ListenScope.Localhost, null)
            : (ListenScope.EveryInterface, (IPAddress?)null);
        var ports = new List<HostPort>();
        if (role is HostRole.All or HostRole.Connect)
        {
            ports.Add(new HostPort(WebSocket, connect.Port, true, connect.Resolved.Describe(ConnectSettings.EnvironmentPrefix, "port"), ListenScope.EveryInterface));
            ports.Add(new HostPort(Router, connect.RouterPort, false, connect.Resolved.Describe(ConnectSettings.EnvironmentPrefix, "router_port"), internalScope, internalAddress));
        }

        if (role is HostRole.All or HostRole.Endpoint)
        {
            var (scope, address) = endpoint.Host == "localhost" ? (ListenScope.Localhost, null)
                : IPAddress.TryParse(endpoint.Host, out var ip) ? (ListenScope.Address, ip)
                // A host name (such as a container's service name) is reached on every interface.
                : (ListenScope.EveryInterface, (IPAddress?)null);
            ports.Add(new HostPort(Endpoint, endpoint.Port, true, endpoint.Resolved.Describe(EndpointSettings.EnvironmentPrefix, "port"), scope, address));
        }

        if (role is HostRole.Silo or HostRole.Endpoint)
        {
            // The internal port of these roles: health and metrics.
            ports.Add(new HostPort(Health, silo.HealthPort, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "health_port"), internalScope, internalAddress));
        }

        // The dashboard may share the internal port; then it adds no port.
        if (silo.DashboardPort is { } dashboard && ports.TrueForAll(p => p.Number != dashboard))
        {
            ports.Add(new HostPort(Dashboard, dashboard, false, silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "dashboard_port"), internalScope, internalAddress));
        }

        return ports;
    }

    /// <summary>The internal port of the role: health routes and <c>/metrics</c> (<c>router_port</c>, else <c>health_port</c>).</summary>
    public static HostPort Internal(PushConfiguration configuration) =>
        Http(configuration).First(p => p.Name is Router or Health);
}
