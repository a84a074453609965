using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Push.Silo.Hosting;

/// <summary>
/// Two warnings the runtimes print at every start that mean nothing is wrong. Each is matched
/// exactly, so the same categories' real warnings still show.
/// </summary>
internal static class KnownFalseWarnings
{
    private const string GarnetArgParser = "ArgParser";
    private const string OrleansWatchdog = "Orleans.Runtime.Watchdog";

    private static readonly DateTimeOffset ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static bool IsKnownFalse<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter, TimeProvider time)
    {
        if (level != LogLevel.Warning)
        {
            return false;
        }

        return category switch
        {
            // Garnet warns whenever it is given a logger factory (its own file/console logger settings
            // are then unused); Push always gives it one, on purpose.
            GarnetArgParser => formatter(state, exception).StartsWith("Received an external ILoggerFactory object", StringComparison.Ordinal),
            // Orleans' watchdog starts its platform thread before it sets the participant check's
            // timestamp, so a first check that runs early measures from 0: the machine's uptime. A stall
            // longer than this process has lived cannot be real; shorter ones still show.
            OrleansWatchdog => Stall(state) is { } stall && stall > time.GetUtcNow() - ProcessStart,
            _ => false,
        };
    }

    private static TimeSpan? Stall<TState>(TState state)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key == "TimeSinceLastTick" && value is TimeSpan stall)
                {
                    return stall;
                }
            }
        }

        return null;
    }
}
