using Push.LoadTool.Measure;

namespace Push.LoadTool.Tests.Measure;

public class StartupCurveTests
{
    // One-second intervals; pushing began 2 s after the service started.
    private static List<Interval> Ramp(params double[] rates) =>
        rates.Select((r, i) => new Interval(i, i + 1, i + 3, (long)r, 0.5)).ToList();

    [Fact]
    public void From_Ramp_SteadyIsMedianOfIntervalsAfterWarmUp()
    {
        var curve = StartupCurve.From(Ramp(100, 200, 900, 1000, 1100, 990), TimeSpan.FromSeconds(3), 0.8);

        Assert.Equal(3, curve.SteadyIntervals);
        Assert.Equal(1000, curve.SteadyPerS);
    }

    [Fact]
    public void From_Ramp_ReachedAtEndOfFirstIntervalAtFraction()
    {
        // Steady 1000: 799 is below 80 %, 800 is the first at it (the third interval, ending 5 s after start).
        var curve = StartupCurve.From(Ramp(100, 799, 800, 1000, 1000, 1000), TimeSpan.FromSeconds(3), 0.8);

        Assert.Equal(5, curve.ReachedAfterS);
        Assert.Equal(3, curve.ReachedAtPushS);
    }

    [Fact]
    public void From_NoIntervalAfterWarmUp_ReportsNothing()
    {
        var curve = StartupCurve.From(Ramp(100, 200), TimeSpan.FromSeconds(45), 0.8);

        Assert.Null(curve.SteadyPerS);
        Assert.Null(curve.ReachedAfterS);
        Assert.Equal(0, curve.SteadyIntervals);
    }

    [Fact]
    public void From_CpuPerInterval_SteadyCpuPerMessageFromSteadyIntervalsOnly()
    {
        var intervals = new List<Interval>
        {
            new(0, 1, 3, 100, 1.0),     // warming: 10,000 µs a message, left out
            new(1, 2, 4, 1000, 0.1),
            new(2, 3, 5, 1000, 0.3),
        };

        var curve = StartupCurve.From(intervals, TimeSpan.FromSeconds(1), 0.8);

        Assert.Equal(200, curve.SteadyCpuPerMessageUs);
    }

    [Fact]
    public void DeliveredPerS_IntervalLongerThanOneSecond_DividesByItsLength()
    {
        Assert.Equal(500, new Interval(10, 12, null, 1000, 0).DeliveredPerS);
    }
}
