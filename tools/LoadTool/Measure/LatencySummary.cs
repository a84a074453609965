namespace Push.LoadTool.Measure;

/// <summary>Percentiles of a set of durations, in milliseconds (nearest-rank).</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary From(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), Math.Round(sorted[^1], 2));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : Math.Round(Rank(sorted, 0.5), 2);
    }

    public override string ToString() => $"count {Count}  p50 {P50Ms} ms  p90 {P90Ms} ms  p99 {P99Ms} ms  max {MaxMs} ms";

    private static double Rank(double[] sorted, double quantile)
    {
        var index = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)], 2);
    }
}
