using Microsoft.Extensions.Logging;
using Push.Shared.Crypto;
using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Testing;

/// <summary>
/// The real single-process host, in-process, on free loopback ports and the test store
/// (embedded Garnet in a temporary folder, or the real Redis when <c>PUSH_TEST_REDIS</c> is set).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(PushHost host, Dictionary<string, string?> environment, string dataDir)
    {
        Host = host;
        Environment = environment;
        DataDir = dataDir;
    }

    public PushHost Host { get; }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string DataDir { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Host.Configuration.Connect.Port}/");

    public Uri InternalUri => new($"http://127.0.0.1:{Host.Configuration.Connect.RouterPort}/");

    public Uri EndpointUri => new($"http://127.0.0.1:{Host.Configuration.Endpoint.Port}/");

    public FernetKeyRing Keys => Host.Configuration.Endpoint.CryptoKeys;

    /// <summary>Environment settings for a fresh host: free ports, a data folder, the test store.</summary>
    public static Dictionary<string, string?> NewEnvironment(string dataDir, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AUTOCONNECT__PORT"] = FreePorts.Next().ToString(),
            ["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(),
            ["AUTOEND__PORT"] = FreePorts.Next().ToString(),
            ["PUSH__SILO_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__GATEWAY_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__HEALTH_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__DATA_DIR"] = dataDir,
            ["PUSH__SERVICE_ID"] = "push-test",
            // With a shared Redis, each test host forms its own cluster.
            ["PUSH__CLUSTER_ID"] = "test-" + Guid.NewGuid().ToString("N"),
            ["PUSH__ADVERTISED_IP"] = "127.0.0.1",
        };
        if (TestStore.RedisDsn is { } dsn)
        {
            env["PUSH__DB_DSN"] = dsn;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return env;
    }

    public static async Task<TestHost> StartAsync(string dataDir, IReadOnlyDictionary<string, string?>? overrides = null, CapturedLogs? logs = null)
    {
        // Another test process may take a port between our check and the bind; then try other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartWithEnvironmentAsync(NewEnvironment(dataDir, overrides), dataDir, logs);
            }
            catch (StartupException e) when (attempt < 3 && e.Kind == StartupFailureKind.PortInUse)
            {
                // Retry with fresh ports.
            }
        }
    }

    /// <summary>Starts a host with exactly this environment (e.g. the same one again, to restart).</summary>
    public static async Task<TestHost> StartWithEnvironmentAsync(Dictionary<string, string?> environment, string dataDir, CapturedLogs? logs = null)
    {
        var configuration = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);
        var host = await PushHost.CreateAsync(configuration, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null)
            {
                // Everything Push itself says, at every level.
                logging.AddProvider(logs);
                logging.AddFilter<CapturedLogs>("Push", LogLevel.Trace);
            }
        });
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new TestHost(host, environment, dataDir);
    }

    public async Task<PushTestClient> ConnectAsync() => await PushTestClient.ConnectAsync(WebSocketUri);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
        await Host.DisposeAsync();
    }
}
