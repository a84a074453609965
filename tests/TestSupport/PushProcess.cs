using System.Diagnostics;
using System.Text;

namespace Push.Testing;

/// <summary>The real service as a child process (the built Push.Silo), for restart and crash tests.</summary>
public sealed class PushProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PushProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The port its health routes answer on (for a silo, also its <c>/metrics</c>), once started by a cluster.</summary>
    public int HealthPort { get; internal set; }

    public int ExitCode => _process.ExitCode;

    public static PushProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Push.Silo.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var result = new PushProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        ChildProcesses.Track(process);

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until the health route of <paramref name="port"/> answers.</summary>
    public async Task WaitUntilHealthyAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Push exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/__lbheartbeat__"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Push did not become healthy within {timeout}: {Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The <c>status</c> of the <c>/health</c> route on <see cref="HealthPort"/> ("OK" or "ERROR").</summary>
    public async Task<string> HealthStatusAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/health"));
        return (string)(await response.JsonAsync())["status"]!;
    }

    /// <summary>SIGTERM, as Kubernetes and Docker stop a container: Push shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        ChildProcesses.Forget(_process);

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
