using System.Net;
using System.Net.Sockets;

namespace Push.Testing;

/// <summary>Free loopback ports for servers under test.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
