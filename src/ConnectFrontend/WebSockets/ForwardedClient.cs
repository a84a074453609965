using System.Net;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// The client's address of a handshake taken straight off the connection, as the HTTP server's
/// forwarded-headers step finds it for every other request: while the address at hand is a trusted
/// proxy, the last <c>X-Forwarded-For</c> entry not yet taken replaces it.
/// </summary>
internal static class ForwardedClient
{
    public static IPAddress? Resolve(IPAddress? remote, string? forwardedFor, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var client = Plain(remote);
        if (client is null || forwardedFor is null || trustedProxies.Count == 0)
        {
            return client;
        }

        var entries = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = entries.Length - 1; i >= 0 && IsTrusted(client, trustedProxies); i--)
        {
            if (!IPEndPoint.TryParse(entries[i], out var forwarded))
            {
                // An entry that is no address ends the walk, as it does for the HTTP server.
                break;
            }

            client = Plain(forwarded.Address)!;
        }

        return client;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> networks)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // IPv4 clients of a dual-stack port are written as IPv4.
    private static IPAddress? Plain(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
