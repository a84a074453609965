using Microsoft.Extensions.Logging;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

public sealed class KnownFalseWarningsTests
{
    [Fact]
    public void Log_WatchdogStallLongerThanTheProcess_IsDropped()
    {
        var logs = Log("Orleans.Runtime.Watchdog", LogLevel.Warning, "TimeSinceLastTick", TimeSpan.FromDays(400));

        Assert.Empty(logs.Entries);
    }

    [Fact]
    public void Log_WatchdogStallOfSeconds_IsKept()
    {
        // An hour into the process's life, a 25 s stall is a real one.
        var anHourLater = new Clock(DateTimeOffset.UtcNow.AddHours(1));
        var logs = Log("Orleans.Runtime.Watchdog", LogLevel.Warning, "TimeSinceLastTick", TimeSpan.FromSeconds(25), anHourLater);

        Assert.Single(logs.Entries);
    }

    [Fact]
    public void Log_GarnetExternalLoggerFactoryNote_IsDropped()
    {
        var logs = Log("ArgParser", LogLevel.Warning, "Message", "Received an external ILoggerFactory object. The following configuration options are ignored: FileLogger.");

        Assert.Empty(logs.Entries);
    }

    [Fact]
    public void Log_OtherGarnetArgumentWarning_IsKept()
    {
        var logs = Log("ArgParser", LogLevel.Warning, "Message", "Unknown option --bogus");

        Assert.Single(logs.Entries);
    }

    private static CapturedLogs Log(string category, LogLevel level, string key, object value, TimeProvider? time = null)
    {
        var captured = new CapturedLogs();
        using var provider = new ConsoleFilterProvider(captured, time ?? TimeProvider.System, new StartupLogGate());
        IReadOnlyList<KeyValuePair<string, object?>> state = [new(key, value)];
        provider.CreateLogger(category).Log(level, default, state, null, (s, _) => string.Join(' ', s.Select(p => p.Value)));
        return captured;
    }

    /// <summary>A clock standing at one instant.</summary>
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
