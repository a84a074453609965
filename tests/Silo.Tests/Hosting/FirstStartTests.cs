using System.Globalization;
using System.Net;
using System.Text.Json;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>What a person sees when they start Push: no warnings, and a few lines whose URLs and command work.</summary>
public sealed class FirstStartTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Start_NoSettings_PrintsNoWarningAndUrlsThatWork()
    {
        var environment = TestHost.NewEnvironment(_data.Path);
        await using var push = PushProcess.Start(environment);
        await Eventually.WaitAsync(() => push.HasExited || Field(push.Output, "TryCommand") is not null, StartTimeout, "the start-up summary");
        Assert.False(push.HasExited, push.Output);

        // The WebSocket and push API URLs it printed, driven by the command it printed.
        var tryCommand = Field(push.Output, "TryCommand")!;
        var tryArguments = tryCommand[(tryCommand.IndexOf(" try", StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["try", Field(push.Output, "WebSocketUrl")!], tryArguments);
        await using var tryIt = PushProcess.Start(new Dictionary<string, string?>(), tryArguments);
        await tryIt.WaitForExitAsync(StartTimeout);
        Assert.True(tryIt.ExitCode == 0, tryIt.Output);
        Assert.Contains("Push works.", tryIt.Output, StringComparison.Ordinal);
        Assert.Contains($"endpoint: {Field(push.Output, "PushApiUrl")}/wpush/", tryIt.Output, StringComparison.Ordinal);

        // The private URL it printed.
        using var http = new HttpClient();
        using var heartbeat = await http.GetAsync(new Uri($"{Field(push.Output, "InternalUrl")}/__lbheartbeat__"));
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(Path.Combine(_data.Path, "crypto_key"), Field(push.Output, "KeyFile"));
        if (TestStore.RedisDsn is { } dsn)
        {
            Assert.Equal($"{new Uri(dsn).Host}:{new Uri(dsn).Port}", Field(push.Output, "Redis"));
        }
        else
        {
            Assert.Equal(_data.Path, Field(push.Output, "DataDir"));
            Assert.True(File.Exists(Path.Combine(_data.Path, "crypto_key")));
        }

        // Output redirected and human_logs unset: JSON lines, none of them a warning or worse.
        var lines = push.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            var level = entry.RootElement.GetProperty("LogLevel").GetString();
            Assert.True(level is "Information" or "Debug" or "Trace", line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.True(DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), timestamp);
        });
    }

    [Fact]
    public async Task Start_HumanLogsTrue_PrintsReadableLines()
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?> { ["AUTOEND__HUMAN_LOGS"] = "true" });
        await using var push = PushProcess.Start(environment);
        await Eventually.WaitAsync(() => push.HasExited || push.Output.Contains("Try a push by hand", StringComparison.Ordinal), StartTimeout, "the start-up summary");

        // Time, then Push's own words: no level, category or event id in front of them.
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Push [0-9.]+ is running\. Phones and browsers connect to ws://localhost:\d+/$", push.Output);
        Assert.DoesNotContain("{\"Timestamp\"", push.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LogFormatMozLog_PrintsMozLogLinesWhateverHumanLogsSays()
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?> { ["PUSH__LOG_FORMAT"] = "mozlog", ["AUTOEND__HUMAN_LOGS"] = "true" });
        var started = DateTimeOffset.UtcNow;
        await using var push = PushProcess.Start(environment);
        await Eventually.WaitAsync(() => push.HasExited || push.Output.Contains("Try a push by hand", StringComparison.Ordinal), StartTimeout, "the start-up summary");
        Assert.False(push.HasExited, push.Output);

        // autopush's MozLog fields on every line; Push's own values among the Fields, in snake_case.
        var lines = push.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, line =>
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.Equal("push:log", root.GetProperty("Type").GetString());
            Assert.StartsWith("push-", root.GetProperty("Logger").GetString(), StringComparison.Ordinal);
            Assert.Equal(6, root.GetProperty("Severity").GetInt32());
            Assert.InRange(root.GetProperty("Timestamp").GetInt64(), (started - DateTimeOffset.UnixEpoch).Ticks * 100, (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);
            Assert.True(root.GetProperty("Pid").GetInt32() > 0);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Fields").GetProperty("msg").GetString()));
        });
        Assert.Contains(lines, line => line.Contains("\"web_socket_url\":\"ws://", StringComparison.Ordinal));
    }

    /// <summary>The value of a structured field in the JSON lines, or null before it is printed.</summary>
    private static string? Field(string output, string name)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("State", out var state) && state.TryGetProperty(name, out var value))
            {
                return value.GetString();
            }
        }

        return null;
    }
}
