using System.Diagnostics;
using Push.LoadTool.Cli;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>Idle connections: how much resident memory the service spends per connected client.</summary>
public sealed class ConnectCommand : ILoadCommand
{
    /// <summary>Each client is one file descriptor here; processes are capped at 20,000, so leave room.</summary>
    private const int MaxClientsPerProcess = 9500;

    public string Name => "connect";

    public string Summary => "open N idle clients (hello + register), hold them, report service memory per connection";

    public string Usage => $"""
        usage: Push.LoadTool connect [options]

        Opens --clients WebSocket clients, each says hello and registers one channel, and keeps them
        open (answering the service's pings) until killed (SIGINT/SIGTERM) or --hold has passed.
        Prints "ready N" once all are connected. With --service-pid (or --metrics-url) it reads the
        service's resident memory before connecting and --settle after the last client connected,
        and prints the difference per connection. One process holds at most {MaxClientsPerProcess} clients
        (file descriptors); run several processes, each with its share, for more.

        options:
          --clients N         clients to open                               [1000]
          --concurrency N     handshakes in flight at once                 [50]
          --hold DURATION     how long to hold them; 0 = until killed      [0]
          --settle DURATION   wait before reading memory after connecting  [5s]
          --endpoints FILE    write each client's push endpoint to FILE, one a line
        {Target.Help}
        {ServiceMemory.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var count = args.Number("clients", 1000, 1, MaxClientsPerProcess);
        var concurrency = args.Number("concurrency", 50);
        var hold = args.Duration("hold", TimeSpan.Zero);
        var settle = args.Duration("settle", TimeSpan.FromSeconds(5));
        var endpointsFile = args.Text("endpoints");
        var memory = MemoryFrom(args);
        args.ThrowIfUnknown();

        var before = await memory.ReadAsync(cancel);
        if (memory.Enabled)
        {
            Console.WriteLine($"service memory before: {ServiceMemory.Format(before)} ({memory.Source})");
        }

        var lastReport = Stopwatch.GetTimestamp();
        await using var pool = await ClientPool.OpenAsync(target.WebSocket, count, concurrency, null, autoAck: true, opened =>
        {
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(2))
            {
                lastReport = Stopwatch.GetTimestamp();
                Console.WriteLine($"connected {opened}/{count}");
            }
        }, cancel);
        Console.WriteLine($"ready {pool.Clients.Count}");
        if (pool.Failed > 0)
        {
            Console.WriteLine($"failed {pool.Failed} (first: {pool.FirstError})");
        }

        Console.WriteLine($"connected in {pool.Elapsed.TotalSeconds:F1} s ({pool.Clients.Count / Math.Max(pool.Elapsed.TotalSeconds, 0.001):F0}/s)");
        if (endpointsFile is not null)
        {
            await File.WriteAllLinesAsync(endpointsFile, pool.Clients.Select(c => c.Endpoint), CancellationToken.None);
        }

        var held = Stopwatch.GetTimestamp();
        long? after = null;
        if (memory.Enabled && !cancel.IsCancellationRequested)
        {
            await Pause.For(settle, cancel);
            after = await memory.ReadAsync(CancellationToken.None);
        }

        long? perConnection = before is { } b && after is { } a && pool.Clients.Count > 0 ? (a - b) / pool.Clients.Count : null;
        if (memory.Enabled)
        {
            Console.WriteLine($"service memory after: {ServiceMemory.Format(after)}; per connection: {(perConnection is { } p ? $"{p} bytes ({p / 1024.0:F1} KiB)" : "n/a")}");
        }

        await HoldAsync(pool, hold, cancel);
        var open = pool.OpenCount();
        SummaryLine.Write(new ConnectSummary(
            "connect", count, pool.Clients.Count, pool.Failed, Math.Round(pool.Elapsed.TotalSeconds, 2), before, after, perConnection,
            open, Math.Round(Stopwatch.GetElapsedTime(held).TotalSeconds, 1), Environment.WorkingSet));
        return pool.Failed == 0 && open == pool.Clients.Count ? 0 : 1;
    }

    internal static ServiceMemory MemoryFrom(Arguments args)
    {
        var pidText = args.Text("service-pid");
        int? pid = null;
        if (pidText is not null)
        {
            pid = int.TryParse(pidText, System.Globalization.CultureInfo.InvariantCulture, out var p) && File.Exists($"/proc/{p}/status")
                ? p
                : throw new ArgumentException($"--service-pid {pidText} is not a running process of this machine");
        }

        var metrics = args.Text("metrics-url") is { } url ? new Uri(url) : null;
        return new ServiceMemory(pid, metrics, args.Text("rss-metric", "process_resident_memory_bytes"));
    }

    /// <summary>Holds until the deadline or a signal, saying when clients drop (the service closed them).</summary>
    private static async Task HoldAsync(ClientPool pool, TimeSpan hold, CancellationToken cancel)
    {
        var deadline = hold == TimeSpan.Zero ? (long?)null : Stopwatch.GetTimestamp() + (long)(hold.TotalSeconds * Stopwatch.Frequency);
        var lastOpen = pool.Clients.Count;
        while (!cancel.IsCancellationRequested && (deadline is null || Stopwatch.GetTimestamp() < deadline))
        {
            await Pause.For(TimeSpan.FromSeconds(1), cancel);
            var open = pool.OpenCount();
            if (open != lastOpen)
            {
                Console.WriteLine($"open {open}/{pool.Clients.Count}");
                lastOpen = open;
            }
        }
    }

    private sealed record ConnectSummary(
        string Command, int Clients, int Opened, int Failed, double ConnectSeconds, long? RssBeforeBytes, long? RssAfterBytes,
        long? RssPerConnectionBytes, int StillOpen, double HeldSeconds, long ToolRssBytes);
}
