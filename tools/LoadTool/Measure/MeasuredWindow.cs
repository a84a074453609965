namespace Push.LoadTool.Measure;

/// <summary>What one process spent per delivered message in the measured window.</summary>
public sealed record ProcessFigures(double? CpuPercent, double? CpuPerMessageUs, double? AllocatedPerMessageBytes);

/// <summary>The figures of a measured window, per delivered message; totals are summed over the processes.</summary>
public sealed record WindowFigures(
    double? CpuPercent, double? CpuPerMessageUs, double? AllocatedPerMessage, IReadOnlyDictionary<string, ProcessFigures>? ByProcess,
    IReadOnlyDictionary<string, double>? StorePerMessage, double StartUnixS, double EndUnixS);

/// <summary>
/// The measured window of a run: the services' CPU, allocations and store counters read at its start
/// and end, and its wall-clock bounds (to match other recordings, such as a trace of the store's
/// disk syncs, to it).
/// </summary>
public sealed class MeasuredWindow(ServiceCpu cpu, ServiceAllocations allocations, StoreInfo store)
{
    private double _startUnixS;

    public async Task StartAsync(CancellationToken cancel)
    {
        await store.StartAsync(cancel);
        await allocations.StartAsync(cancel);
        cpu.Start();
        _startUnixS = UnixSeconds();
    }

    public async Task<WindowFigures> StopAsync(long delivered, CancellationToken cancel)
    {
        var endUnixS = UnixSeconds();
        var used = cpu.Stop();
        var allocated = await allocations.StopAsync(cancel);
        var stored = await store.StopAsync(cancel);
        double? PerMessage(double? total, int digits) => total is { } t && delivered > 0 ? Math.Round(t / delivered, digits) : null;

        var byProcess = new SortedDictionary<string, ProcessFigures>(StringComparer.Ordinal);
        foreach (var name in used.Select(u => u.Name).Union(allocated.Select(a => a.Name)))
        {
            var (_, cpuUsed, percent) = used.FirstOrDefault(u => u.Name == name);
            var bytes = allocated.FirstOrDefault(a => a.Name == name).Bytes;
            var hasCpu = used.Any(u => u.Name == name);
            byProcess[name] = new ProcessFigures(hasCpu ? percent : null, hasCpu ? PerMessage(cpuUsed.TotalMicroseconds, 1) : null, PerMessage(bytes, 0));
        }

        var cpuTotal = used.Count > 0 ? used.Sum(u => u.Used.TotalMicroseconds) : (double?)null;
        var allocatedTotal = allocated.Count > 0 && allocated.All(a => a.Bytes is not null) ? allocated.Sum(a => a.Bytes!.Value) : (double?)null;
        var figures = new WindowFigures(
            used.Count > 0 ? Math.Round(used.Sum(u => u.Percent), 1) : null, PerMessage(cpuTotal, 1), PerMessage(allocatedTotal, 0),
            byProcess.Count > 1 ? byProcess : null,
            stored?.ToDictionary(kv => kv.Key, kv => PerMessage(kv.Value, 3) ?? 0, StringComparer.Ordinal),
            Math.Round(_startUnixS, 3), Math.Round(endUnixS, 3));
        Print(figures);
        return figures;
    }

    private static void Print(WindowFigures figures)
    {
        if (figures.CpuPerMessageUs is not null)
        {
            Console.WriteLine($"service CPU {figures.CpuPercent} % of one core, {figures.CpuPerMessageUs} µs per delivered message");
        }

        if (figures.AllocatedPerMessage is not null)
        {
            Console.WriteLine($"service allocated {figures.AllocatedPerMessage} bytes per delivered message");
        }

        foreach (var (name, p) in figures.ByProcess ?? new SortedDictionary<string, ProcessFigures>())
        {
            Console.WriteLine($"  {name}: CPU {p.CpuPercent} %, {p.CpuPerMessageUs} µs and {p.AllocatedPerMessageBytes} bytes allocated per message");
        }

        if (figures.StorePerMessage is { } store)
        {
            Console.WriteLine("store per message: " + string.Join(", ", store.Select(kv => $"{kv.Key} {kv.Value}")));
        }
    }

    private static double UnixSeconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
