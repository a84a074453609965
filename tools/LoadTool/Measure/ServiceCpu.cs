using System.Diagnostics;
using System.Globalization;

namespace Push.LoadTool.Measure;

/// <summary>
/// CPU time (user + system) that the processes under test spent during a phase, read from each
/// process, so a figure can be given per message and per role and compared between servers measured
/// the same way.
/// </summary>
public sealed class ServiceCpu(IReadOnlyList<(string Name, int Pid)> processes)
{
    private TimeSpan[] _start = [];
    private long _startedAt;

    public bool Enabled => processes.Count > 0;

    /// <summary>When the first process started (the service, for a start-up curve), or null without one.</summary>
    public DateTime? FirstStartedUtc => processes.Count > 0 ? Process.GetProcessById(processes[0].Pid).StartTime.ToUniversalTime() : null;

    /// <summary>From <c>--service-pid</c>: <c>PID</c> or <c>name=PID,name=PID</c>, each a running process here.</summary>
    public static ServiceCpu From(string? text) => new(Cli.NamedValues.Parse(text, "service-pid", "service").Select(p =>
        int.TryParse(p.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && File.Exists($"/proc/{pid}/stat")
            ? (p.Name, pid)
            : throw new ArgumentException($"--service-pid {p.Value} is not a running process of this machine")).ToList());

    /// <summary>Total CPU time of all the processes so far.</summary>
    public TimeSpan Total() => Read().Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

    public void Start()
    {
        _start = Read();
        _startedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>CPU time of each process since <see cref="Start"/>, and its share of one core.</summary>
    public IReadOnlyList<(string Name, TimeSpan Used, double Percent)> Stop()
    {
        var now = Read();
        var wall = Stopwatch.GetElapsedTime(_startedAt);
        return processes.Select((p, i) => (p.Name, now[i] - _start[i], Math.Round(100 * (now[i] - _start[i]).TotalSeconds / wall.TotalSeconds, 1))).ToList();
    }

    private TimeSpan[] Read() => processes.Select(p => Process.GetProcessById(p.Pid).TotalProcessorTime).ToArray();
}
