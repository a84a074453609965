using System.Globalization;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>The single-process default reaches the network only through its public ports.</summary>
public sealed class ListeningAddressTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["PUSH__DASHBOARD_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        ["PUSH__DASHBOARD_USERNAME"] = "admin",
        ["PUSH__DASHBOARD_PASSWORD"] = "correct horse battery staple",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public void AllRole_InternalDashboardAndOrleansPorts_ListenOnLoopbackOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // reads the kernel's socket table
        }

        var c = _host.Host.Configuration;
        var ports = new List<(string, int)> { ("router", c.Connect.RouterPort), ("dashboard", c.Silo.DashboardPort!.Value) };
        if (TestStore.RedisDsn is null)
        {
            // On a shared Redis, all-role processes may form one cluster, so Orleans listens for its peers.
            ports.Add(("silo", c.Silo.SiloPort));
            ports.Add(("gateway", c.Silo.GatewayPort));
        }

        foreach (var (name, port) in ports)
        {
            var addresses = ListeningAddresses(port);
            Assert.NotEmpty(addresses);
            Assert.All(addresses, a => Assert.True(IsLoopback(a), $"the {name} port {port} listens on {a}"));
        }
    }

    // Local addresses (kernel hex) of the listening TCP sockets on a port.
    private static List<string> ListeningAddresses(int port)
    {
        var found = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == "0A" && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    found.Add(local[0]);
                }
            }
        }

        return found;
    }

    private static bool IsLoopback(string hex) => hex is "0100007F" or "00000000000000000000000001000000" or "0000000000000000FFFF00000100007F";
}
