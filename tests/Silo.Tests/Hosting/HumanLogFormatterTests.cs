using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Push.Silo.Hosting;

namespace Push.Silo.Tests.Hosting;

public sealed class HumanLogFormatterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void Write_PushInformation_IsTimeAndMessage()
    {
        Assert.Equal("2026-12-06 12:00:05 Push is running\n", Write("Push", LogLevel.Information, "Push is running"));
    }

    [Fact]
    public void Write_RuntimeWarning_NamesLevelAndCategory()
    {
        Assert.Equal("2026-12-06 12:00:05 WARNING Orleans.Runtime.Silo: Some grains failed to deactivate promptly.\n", Write("Orleans.Runtime.Silo", LogLevel.Warning, "Some grains failed to deactivate promptly."));
    }

    [Fact]
    public void Write_MessageOverSeveralLines_StaysOnOne()
    {
        Assert.Equal("2026-12-06 12:00:05 a b\n", Write("Push.Silo", LogLevel.Information, "a\nb"));
    }

    private static string Write(string category, LogLevel level, string message)
    {
        var formatter = new HumanLogFormatter(new UtcClock(Noon));
        using var output = new StringWriter { NewLine = "\n" };
        formatter.Write(new LogEntry<string>(level, category, default, message, null, (s, _) => s), null, output);
        return output.ToString();
    }

    /// <summary>A clock standing at one instant, in UTC as its local zone.</summary>
    private sealed class UtcClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
