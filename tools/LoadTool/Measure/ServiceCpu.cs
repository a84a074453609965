using System.Diagnostics;

namespace Push.LoadTool.Measure;

/// <summary>
/// CPU time the service under test spent during a phase, read from the process (user + system), so
/// a figure can be given per message and compared between servers measured the same way.
/// </summary>
public sealed class ServiceCpu(int? pid)
{
    private TimeSpan _start;
    private long _startedAt;

    public bool Enabled => pid is not null;

    public void Start()
    {
        if (pid is { } p)
        {
            _start = Process.GetProcessById(p).TotalProcessorTime;
            _startedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>CPU time since <see cref="Start"/> and its share of one core, or nulls without a pid.</summary>
    public (TimeSpan? Used, double? Percent) Stop()
    {
        if (pid is not { } p)
        {
            return (null, null);
        }

        var used = Process.GetProcessById(p).TotalProcessorTime - _start;
        var wall = Stopwatch.GetElapsedTime(_startedAt);
        return (used, Math.Round(100 * used.TotalSeconds / wall.TotalSeconds, 1));
    }
}
