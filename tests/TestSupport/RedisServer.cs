using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Push.Testing;

/// <summary>A real <c>redis-server</c> process on a free loopback port, its files in a folder of the test's.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Dsn => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts redis-server on <paramref name="port"/> with its files in <paramref name="dir"/>, plus <paramref name="options"/>; returns once it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(string dir, int port, params string[] options)
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dir, .. options])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        // No store outlives the test run.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        await Eventually.WaitAsync(() => PingAsync(port), ok => ok, StartTimeout, $"redis-server to answer PING on port {port}");
        return server;
    }

    /// <summary>Whether a Redis-protocol server answers PING on the loopback port.</summary>
    public static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
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

    /// <summary>SIGKILL: with fsync on every write, nothing acknowledged is lost.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(StartTimeout);
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }
}
