using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Push.Shared.Settings;
using IPNetwork = System.Net.IPNetwork;

namespace Push.Silo.Hosting;

/// <summary>
/// Whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> Push believes (<c>trusted_proxies</c>):
/// a request from one of these addresses or networks takes its client address and scheme from the
/// headers, so logs name the client and the request's scheme is the one the client used. From any
/// other address the headers are ignored, so clients cannot claim another address.
/// </summary>
internal static class TrustedProxies
{
    public const string Setting = "trusted_proxies";

    /// <summary>Without the setting: this machine only (a reverse proxy such as nginx on the same host).</summary>
    public static readonly IReadOnlyList<IPNetwork> Default = [new(IPAddress.Loopback, 8), new(IPAddress.IPv6Loopback, 128)];

    /// <summary>The setting's networks: IP addresses and CIDR networks; an empty list trusts no one.</summary>
    public static IReadOnlyList<IPNetwork> Read(SettingsReader r)
    {
        if (r.GetList(Setting) is not { } items)
        {
            return Default;
        }

        var networks = new List<IPNetwork>(items.Count);
        foreach (var item in items)
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                r.Fail(Setting, $"\"{item}\" is not an IP address or a network such as 10.0.0.0/8");
            }
        }

        return networks;
    }

    /// <summary>Applies the headers of trusted proxies to every request, on every port, before anything reads them.</summary>
    public static void UseTrustedProxies(this IApplicationBuilder app, IReadOnlyList<IPNetwork> networks)
    {
        // ASP.NET Core believes everyone when it knows no proxy: trusting no one means no middleware.
        if (networks.Count == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through a chain of trusted proxies (a CDN in front of nginx) to the first
            // address none of them is: that is the client.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
    }
}
