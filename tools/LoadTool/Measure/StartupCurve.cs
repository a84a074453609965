namespace Push.LoadTool.Measure;

/// <summary>One reporting interval of a run: when it ended, what was delivered in it, the CPU spent.</summary>
/// <param name="StartS">Start, seconds since the measured pushing began.</param>
/// <param name="EndS">End, seconds since the measured pushing began.</param>
/// <param name="SinceServiceStartS">End, seconds since the service process started (null when unknown).</param>
public sealed record Interval(double StartS, double EndS, double? SinceServiceStartS, long Delivered, double CpuSeconds)
{
    public double DeliveredPerS => EndS > StartS ? Delivered / (EndS - StartS) : 0;
}

/// <summary>
/// How fast a freshly started service reaches its steady throughput. Steady is the median delivered
/// rate of the intervals that start at least <c>steadyAfter</c> into pushing (the service is warm by
/// then); the time to reach is the end of the first interval whose rate is at least
/// <c>fraction</c> × steady, counted from the service's process start.
/// </summary>
public sealed record StartupCurve(double? SteadyPerS, double? SteadyCpuPerMessageUs, int SteadyIntervals, double? ReachedAfterS, double? ReachedAtPushS)
{
    public static StartupCurve From(IReadOnlyList<Interval> intervals, TimeSpan steadyAfter, double fraction)
    {
        // A tolerance of 1 ms: the reporter's ticks are a little late, never early.
        var steady = intervals.Where(i => i.StartS >= steadyAfter.TotalSeconds - 0.001).ToList();
        if (steady.Count == 0)
        {
            return new StartupCurve(null, null, 0, null, null);
        }

        var steadyRate = LatencySummary.Median(steady.Select(i => i.DeliveredPerS));
        var delivered = steady.Sum(i => i.Delivered);
        double? cpuPerMessage = delivered > 0 && steady.Any(i => i.CpuSeconds > 0) ? Math.Round(steady.Sum(i => i.CpuSeconds) * 1e6 / delivered, 1) : null;
        var first = intervals.FirstOrDefault(i => i.DeliveredPerS >= fraction * steadyRate);
        return new StartupCurve(
            steadyRate, cpuPerMessage, steady.Count,
            first?.SinceServiceStartS is { } s ? Math.Round(s, 2) : null,
            first is null ? null : Math.Round(first.EndS, 2));
    }
}
