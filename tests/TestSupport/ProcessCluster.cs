using Microsoft.Extensions.Logging.Abstractions;
using Push.Silo.Store;

namespace Push.Testing;

/// <summary>
/// Push as separate processes (silos, connect and endpoint frontends) sharing one Redis-protocol store:
/// the Redis of <c>PUSH_TEST_REDIS</c>, or a Garnet server this test starts.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private const string Key = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _data = new();
    private readonly List<PushProcess> _processes = [];
    private readonly EmbeddedGarnet? _store;

    /// <param name="storeDsn">A store the test manages itself; by default the run's store.</param>
    public ProcessCluster(string? storeDsn = null)
    {
        string dsn;
        if ((storeDsn ?? TestStore.RedisDsn) is { } redis)
        {
            dsn = redis;
        }
        else
        {
            _store = EmbeddedGarnet.Start(Path.Combine(_data.Path, "store"), "64m", NullLoggerFactory.Instance);
            dsn = $"redis://{_store.ConnectionString}";
        }

        BaseEnvironment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PUSH__DB_DSN"] = dsn,
            ["PUSH__SERVICE_ID"] = "push-test",
            ["PUSH__CLUSTER_ID"] = "cluster-" + Guid.NewGuid().ToString("N"),
            ["PUSH__ADVERTISED_IP"] = "127.0.0.1",
            ["PUSH__DATA_DIR"] = Path.Combine(_data.Path, "data"),
            ["PUSH__SESSION_RENEW_INTERVAL"] = "2",
            // The store may share this test process with hundreds of clients, whose pauses are not the store's.
            ["PUSH__SAVE_TIMEOUT"] = "2",
            ["AUTOCONNECT__CRYPTO_KEY"] = $"[{Key}]",
            ["AUTOEND__CRYPTO_KEYS"] = $"[{Key}]",
            ["AUTOCONNECT__HUMAN_LOGS"] = "true",
            ["AUTOEND__HUMAN_LOGS"] = "true",
        };
    }

    public Dictionary<string, string?> BaseEnvironment { get; }

    /// <summary>The processes started so far, in order.</summary>
    public IReadOnlyList<PushProcess> Processes => _processes;

    /// <summary>The endpoint frontend's port, once one is started (connect frontends hand out URLs to it).</summary>
    public int EndpointPort { get; } = FreePorts.Next();

    public async Task<PushProcess> StartSiloAsync()
    {
        var health = FreePorts.Next();
        return await StartAsync("silo", health, new()
        {
            ["PUSH__SILO_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__GATEWAY_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__HEALTH_PORT"] = health.ToString(),
        });
    }

    /// <summary>A connect frontend; returns it and its WebSocket address.</summary>
    public async Task<(PushProcess Process, Uri WebSocket)> StartConnectAsync()
    {
        var port = FreePorts.Next();
        var process = await StartAsync("connect", port, new()
        {
            ["AUTOCONNECT__PORT"] = port.ToString(),
            ["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(),
            ["AUTOCONNECT__ENDPOINT_HOSTNAME"] = "127.0.0.1",
            ["AUTOCONNECT__ENDPOINT_PORT"] = EndpointPort.ToString(),
        });
        return (process, new Uri($"ws://127.0.0.1:{port}/"));
    }

    public async Task<PushProcess> StartEndpointAsync() =>
        await StartAsync("endpoint", EndpointPort, new()
        {
            ["AUTOEND__HOST"] = "127.0.0.1",
            ["AUTOEND__PORT"] = EndpointPort.ToString(),
            ["PUSH__HEALTH_PORT"] = FreePorts.Next().ToString(),
        });

    /// <summary>A whole node (silo and both frontends) that joins the cluster; returns its WebSocket address and push API port.</summary>
    public async Task<(PushProcess Process, Uri WebSocket, int EndpointPort)> StartNodeAsync()
    {
        var ws = FreePorts.Next();
        var endpoint = FreePorts.Next();
        var process = await StartAsync("all", ws, new()
        {
            ["AUTOCONNECT__PORT"] = ws.ToString(),
            ["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(),
            ["AUTOEND__HOST"] = "127.0.0.1",
            ["AUTOEND__PORT"] = endpoint.ToString(),
            ["PUSH__SILO_PORT"] = FreePorts.Next().ToString(),
            ["PUSH__GATEWAY_PORT"] = FreePorts.Next().ToString(),
        });
        return (process, new Uri($"ws://127.0.0.1:{ws}/"), endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _store?.Dispose();
        _data.Dispose();
    }

    /// <summary>
    /// A process of <paramref name="role"/> with the cluster's settings overlaid by <paramref name="settings"/>,
    /// once its health routes answer on <paramref name="healthPort"/>.
    /// </summary>
    public async Task<PushProcess> StartAsync(string role, int healthPort, Dictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(BaseEnvironment);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = PushProcess.Start(environment, role);
        process.HealthPort = healthPort;
        _processes.Add(process);
        await process.WaitUntilHealthyAsync(healthPort, StartTimeout);
        return process;
    }
}
