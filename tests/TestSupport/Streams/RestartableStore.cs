using Microsoft.Extensions.Logging.Abstractions;
using Push.Silo.Store;

namespace Push.Testing.Streams;

/// <summary>
/// A Redis-protocol store a test can stop and start again on the same port and data: a
/// <c>redis-server</c> process (append-only file, fsync on every write, as the README asks of
/// production) when the run targets Redis (<c>PUSH_TEST_REDIS</c>), the embedded Garnet otherwise.
/// </summary>
public sealed class RestartableStore : IStoreOutage, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new();
    private readonly bool _redis;
    private RedisServer? _server;
    private EmbeddedGarnet? _garnet;

    private RestartableStore(bool redis)
    {
        _redis = redis;
        Port = FreePorts.Next();
    }

    public int Port { get; }

    public string Dsn => $"redis://127.0.0.1:{Port}";

    public string Describe => _redis ? "redis-server" : "embedded Garnet";

    public static async Task<RestartableStore> StartAsync()
    {
        var store = new RestartableStore(TestStore.RedisDsn is not null);
        await store.StartAgainAsync();
        return store;
    }

    /// <summary>Starts the store (again) on its port with whatever it had written before.</summary>
    public async Task StartAgainAsync()
    {
        if (_redis)
        {
            _server = await RedisServer.StartAsync(_data.Path, Port, "--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty);
            return;
        }

        _garnet = EmbeddedGarnet.Start(_data.Path, "64m", NullLoggerFactory.Instance, Port);
        await Eventually.WaitAsync(() => RedisServer.PingAsync(Port), ok => ok, StartTimeout, $"{Describe} to answer PING on port {Port}");
    }

    Task IStoreOutage.BreakAsync() => StopAsync();

    Task IStoreOutage.RestoreAsync() => StartAgainIfStoppedAsync();

    public async Task StartAgainIfStoppedAsync()
    {
        if (_server is null && _garnet is null)
        {
            await StartAgainAsync();
        }
    }

    /// <summary>Stops the store: SIGKILL for redis-server (fsync on every write loses nothing), disposal for Garnet.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            await server.DisposeAsync();
            _server = null;
        }

        _garnet?.Dispose();
        _garnet = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _data.Dispose();
    }
}
