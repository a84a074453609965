using System.Diagnostics;
using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>Delivery latency at a fixed offered rate (open loop: sends do not wait for earlier ones).</summary>
public sealed class LatencyCommand : ILoadCommand
{
    public string Name => "latency";

    public string Summary => "push at a fixed rate across C clients; percentiles of POST start to client receipt";

    public string Usage => $"""
        usage: Push.LoadTool latency [options]

        Connects --clients clients (one channel each, acking every notification), then starts
        --rate pushes per second for --duration, spread over the clients in turn, whether or not
        earlier pushes have been answered (open loop). Each body carries the tool's clock reading
        taken just before its POST starts; the client reads it on arrival. Prints p50, p90, p99 and max
        of POST start to receipt by the client, and how many accepted pushes never arrived within
        --settle after the last send. If the tool cannot start pushes on time (--max-inflight reached)
        the lag is reported: the offered rate was then lower than asked.

        options:
          --clients N         connected clients                                   [100]
          --rate N            pushes started per second                           [1000]
          --duration D        how long to push                                    [10s]
          --warmup D          push at the same rate this long first, unmeasured   [0s]
          --size BYTES        body size (at least 8: the clock reading)           [1024]
          --settle D          most time to wait for the last deliveries           [5s]
          --max-inflight N    most unanswered POSTs at once                       [2000]
          --concurrency N     handshakes in flight at once while connecting       [50]
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var clients = args.Number("clients", 100, 1, 9500);
        var rate = args.Number("rate", 1000, 1, 1_000_000);
        var duration = args.Duration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.Duration("warmup", TimeSpan.Zero);
        var size = args.Number("size", 1024, 8, 1 << 20);
        var settle = args.Duration("settle", TimeSpan.FromSeconds(5));
        var maxInflight = args.Number("max-inflight", 2000);
        var concurrency = args.Number("concurrency", 50);
        args.ThrowIfUnknown();

        var latencies = new List<TimeSpan>(capacity: (int)Math.Min(rate * duration.TotalSeconds * 1.1, 10_000_000));
        var sync = new Lock();
        long unstamped = 0;
        var measureFrom = long.MaxValue;
        void OnNotification(PushClient client, Notification n)
        {
            if (Payload.TryReadStamp(n.Data, out var sent))
            {
                if (sent < Volatile.Read(ref measureFrom))
                {
                    return; // sent during the warm-up
                }

                lock (sync)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, n.ReceivedTimestamp));
                }
            }
            else
            {
                Interlocked.Increment(ref unstamped);
            }
        }

        await using var pool = await ClientPool.OpenAsync(target.WebSocket, clients, concurrency, OnNotification, autoAck: true, progress: null, cancel);
        Console.WriteLine(pool.Describe());
        if (pool.Clients.Count == 0)
        {
            return 1;
        }

        var endpoints = pool.Clients.Select(c => target.PushUrl(c.Endpoint)).ToArray();
        var template = Payload.Random(size);
        using var sender = new PushSender(Math.Min(maxInflight, 1024));
        var counts = new StatusCounts();
        var warmupCounts = new StatusCounts();
        using var inflight = new SemaphoreSlim(maxInflight, maxInflight);
        var pending = new List<Task>();
        var maxLag = TimeSpan.Zero;
        Console.WriteLine($"pushing {rate}/s for {duration.TotalSeconds:F0} s" + (warmup > TimeSpan.Zero ? $" after a {warmup.TotalSeconds:F0} s warm-up" : ""));

        async Task SendOneAsync(Uri endpoint, StatusCounts into)
        {
            try
            {
                into.Add(await sender.PushAsync(endpoint, Payload.Stamped(template), CancellationToken.None));
            }
            finally
            {
                inflight.Release();
            }
        }

        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref measureFrom, start + (long)(warmup.TotalSeconds * Stopwatch.Frequency));
        var warmupPushes = (long)(warmup.TotalSeconds * rate);
        long sent = 0;
        while (!cancel.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= warmup + duration)
            {
                break;
            }

            // Every push due by now starts now; the schedule never stretches to fit slow answers.
            var due = (long)(elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                await inflight.WaitAsync(CancellationToken.None);
                var lag = Stopwatch.GetElapsedTime(start) - TimeSpan.FromSeconds((double)sent / rate);
                maxLag = lag > maxLag ? lag : maxLag;
                pending.Add(SendOneAsync(endpoints[sent % endpoints.Length], sent < warmupPushes ? warmupCounts : counts));
            }

            await Task.Delay(1, CancellationToken.None);
        }

        await Task.WhenAll(pending);
        var accepted = counts.Accepted;
        await Pause.Until(() => { lock (sync) { return latencies.Count >= accepted; } }, settle, cancel);
        LatencySummary summary;
        lock (sync)
        {
            summary = LatencySummary.From(latencies);
        }

        sent -= Math.Min(sent, warmupPushes);
        Console.WriteLine($"sent {sent}, accepted {accepted}, errors {counts.Errors}; received {summary.Count}; {summary}; tool lag max {maxLag.TotalMilliseconds:F0} ms");
        SummaryLine.Write(new LatencyRunSummary(
            "latency", pool.Clients.Count, rate, Math.Round(duration.TotalSeconds, 2), sent, accepted, counts.ErrorsByStatus(), summary.Count,
            Math.Max(0, accepted - summary.Count), Interlocked.Read(ref unstamped), summary.P50Ms, summary.P90Ms, summary.P99Ms, summary.MaxMs,
            Math.Round(maxLag.TotalMilliseconds, 1)));
        return counts.Errors == 0 && summary.Count >= accepted ? 0 : 1;
    }

    private sealed record LatencyRunSummary(
        string Command, int Clients, int Rate, double DurationS, long Sent, long Accepted, IReadOnlyDictionary<string, long> Errors,
        int Received, long Lost, long Unstamped, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MaxSendLagMs);
}
