using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Push.Testing;

/// <summary>
/// A real nginx in front of Push: the location block of the autopush notes (Seed/nginx-location.conf)
/// as it is, one loopback port for each upstream port, its files in a folder of the test's.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private const string SeedUpstream = "http://127.0.0.1:8000";
    private readonly Process _process;
    private readonly Dictionary<int, int> _ports;

    private NginxProxy(Process process, Dictionary<int, int> ports)
    {
        _process = process;
        _ports = ports;
    }

    /// <summary>The loopback port nginx listens on for <paramref name="upstream"/>.</summary>
    public int PortFor(int upstream) => _ports[upstream];

    /// <summary>Starts nginx with one server an upstream port; returns once every listening port accepts.</summary>
    public static async Task<NginxProxy> StartAsync(string dir, params int[] upstreams)
    {
        var location = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed", "nginx-location.conf"));
        var ports = upstreams.ToDictionary(u => u, _ => FreePorts.Next());
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"error_log {dir}/error.log warn;")
            .AppendLine(CultureInfo.InvariantCulture, $"pid {dir}/nginx.pid;")
            .AppendLine("worker_processes 1;")
            .AppendLine("events { worker_connections 256; }")
            .AppendLine("http {")
            .AppendLine("access_log off;");
        foreach (var temp in (string[])["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"{temp}_temp_path {dir}/{temp};");
        }

        foreach (var (upstream, port) in ports)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"server {{ listen 127.0.0.1:{port};")
                .AppendLine(location.Replace(SeedUpstream, $"http://127.0.0.1:{upstream}", StringComparison.Ordinal))
                .AppendLine("}");
        }

        var file = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(file, config.AppendLine("}").ToString());
        var info = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-p", dir, "-c", file, "-g", "daemon off;"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
        ChildProcesses.Track(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new NginxProxy(process, ports);
        await Eventually.WaitAsync(
            async () => process.HasExited || (await Task.WhenAll(ports.Values.Select(AcceptsAsync))).All(ok => ok),
            done => done,
            StartTimeout,
            "nginx to listen");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"nginx stopped: {File.ReadAllText(Path.Combine(dir, "error.log"))}");
        }

        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Its master and worker: the whole tree.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        ChildProcesses.Forget(_process);
        _process.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
