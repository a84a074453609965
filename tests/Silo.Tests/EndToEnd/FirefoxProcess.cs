using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Push.Testing;

namespace Push.Silo.Tests.EndToEnd;

/// <summary>
/// A headless Firefox on a given profile directory with its WebDriver BiDi server on a free port: Firefox
/// has the protocol built in, so no driver is downloaded or installed.
/// </summary>
internal sealed partial class FirefoxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _bidi = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FirefoxProcess(Process process) => _process = process;

    /// <summary>The WebDriver BiDi address Firefox announced.</summary>
    public Uri BiDiUri => _bidi.Task.IsCompletedSuccessfully ? _bidi.Task.Result : throw new InvalidOperationException("Firefox has not started");

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

    /// <summary>Writes <paramref name="preferences"/> into the profile's user.js, starts Firefox and waits for its BiDi server.</summary>
    public static async Task<FirefoxProcess> StartAsync(string profileDirectory, IReadOnlyDictionary<string, object> preferences, TimeSpan timeout)
    {
        var executable = FirefoxBinary.Path ?? throw new InvalidOperationException(FirefoxBinary.MissingMessage);
        await File.WriteAllTextAsync(Path.Combine(profileDirectory, "user.js"), UserJs(preferences));
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-remote", "--profile", profileDirectory, "--remote-debugging-port=0", "about:blank" })
        {
            info.ArgumentList.Add(argument);
        }

        var firefox = new FirefoxProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        firefox._process.OutputDataReceived += (_, e) => firefox.Append(e.Data);
        firefox._process.ErrorDataReceived += (_, e) => firefox.Append(e.Data);
        firefox._process.Exited += (_, _) => firefox._bidi.TrySetException(new InvalidOperationException($"Firefox exited before it was ready: {firefox.Output}"));
        firefox._process.Start();
        ChildProcesses.Track(firefox._process);
        firefox._process.BeginOutputReadLine();
        firefox._process.BeginErrorReadLine();
        try
        {
            await firefox._bidi.Task.WaitAsync(timeout);
            return firefox;
        }
        catch (TimeoutException)
        {
            await firefox.DisposeAsync();
            throw new TimeoutException($"Firefox did not open its WebDriver BiDi port within {timeout}: {firefox.Output}");
        }
        catch
        {
            await firefox.DisposeAsync();
            throw;
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        ChildProcesses.Forget(_process);
        _process.Dispose();
    }

    private static string UserJs(IReadOnlyDictionary<string, object> preferences)
    {
        var lines = preferences.Select(p => p.Value switch
        {
            bool b => $"user_pref(\"{p.Key}\", {(b ? "true" : "false")});",
            int i => $"user_pref(\"{p.Key}\", {i.ToString(CultureInfo.InvariantCulture)});",
            _ => $"user_pref(\"{p.Key}\", \"{p.Value}\");",
        });
        return string.Join('\n', lines) + '\n';
    }

    [GeneratedRegex(@"WebDriver BiDi listening on (ws://\S+)")]
    private static partial Regex BiDiAnnouncement();

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

        if (BiDiAnnouncement().Match(line) is { Success: true } match)
        {
            _bidi.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }
}
