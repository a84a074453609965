using System.Net;
using System.Net.Sockets;

namespace Push.Testing;

/// <summary>
/// Free loopback ports for servers under test. They are drawn below the kernel's ephemeral range, so
/// the test's own outgoing connections cannot take one between the check and the server's bind.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Handed)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (Handed.Add(port) && IsFree(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            // Kestrel binds the wildcard address for the public ports, so check that, not only loopback.
            using var listener = new TcpListener(IPAddress.IPv6Any, port);
            listener.Server.DualMode = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
