using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
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
    private Process? _process;
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
            var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--dir", _data.Path, "--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty,
            })
            {
                info.ArgumentList.Add(argument);
            }

            _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
            var started = _process;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                // No store outlives the test run.
                try
                {
                    started.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            };
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }
        else
        {
            _garnet = EmbeddedGarnet.Start(_data.Path, "64m", NullLoggerFactory.Instance, Port);
        }

        await Eventually.WaitAsync(PingAsync, ok => ok, StartTimeout, $"{Describe} to answer PING on port {Port}");
    }

    Task IStoreOutage.BreakAsync() => StopAsync();

    Task IStoreOutage.RestoreAsync() => StartAgainIfStoppedAsync();

    public async Task StartAgainIfStoppedAsync()
    {
        if (_process is null && _garnet is null)
        {
            await StartAgainAsync();
        }
    }

    /// <summary>Stops the store: SIGKILL for redis-server (fsync on every write loses nothing), disposal for Garnet.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill();
            using var timeout = new CancellationTokenSource(StartTimeout);
            await process.WaitForExitAsync(timeout.Token);
            process.Dispose();
            _process = null;
        }

        _garnet?.Dispose();
        _garnet = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _data.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
