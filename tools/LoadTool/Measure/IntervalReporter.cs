using System.Diagnostics;

namespace Push.LoadTool.Measure;

/// <summary>
/// Samples a delivered counter (and the service's CPU) every period while a phase runs, printing one
/// line per interval, so a run shows its throughput over time from the service's start.
/// </summary>
public sealed class IntervalReporter : IAsyncDisposable
{
    private readonly List<Interval> _intervals = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private IntervalReporter(TimeSpan period, Func<long> delivered, ServiceCpu cpu)
    {
        var serviceStart = cpu.FirstStartedUtc;
        var started = Stopwatch.GetTimestamp();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(period);
            var (lastAt, lastDelivered, lastCpu) = (0.0, delivered(), cpu.Enabled ? cpu.Total() : TimeSpan.Zero);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    var (count, cpuNow) = (delivered(), cpu.Enabled ? cpu.Total() : TimeSpan.Zero);
                    double? sinceStart = serviceStart is { } s ? (DateTime.UtcNow - s).TotalSeconds : null;
                    var interval = new Interval(lastAt, at, sinceStart, count - lastDelivered, (cpuNow - lastCpu).TotalSeconds);
                    _intervals.Add(interval);
                    Console.WriteLine($"  {at,6:F1} s pushing{(sinceStart is { } t ? $", {t,6:F1} s since service start" : "")}: " +
                        $"{interval.DeliveredPerS,8:F0} delivered/s" + (cpu.Enabled ? $", service CPU {100 * interval.CpuSeconds / (at - lastAt),4:F0} %" : ""));
                    (lastAt, lastDelivered, lastCpu) = (at, count, cpuNow);
                }
            }
            catch (OperationCanceledException)
            {
                // The phase ended.
            }
        });
    }

    /// <summary>Starts sampling now, or returns null when <paramref name="period"/> is zero.</summary>
    public static IntervalReporter? Start(TimeSpan period, Func<long> delivered, ServiceCpu cpu) =>
        period > TimeSpan.Zero ? new IntervalReporter(period, delivered, cpu) : null;

    /// <summary>Stops sampling (a partial last interval is dropped) and returns the intervals.</summary>
    public async Task<IReadOnlyList<Interval>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return _intervals;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
