using System.Diagnostics;
using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>Sustained push rate: accepted and delivered messages per second, against the machine's ceiling.</summary>
public sealed class ThroughputCommand : ILoadCommand
{
    public string Name => "throughput";

    public string Summary => "S senders push to C connected clients as fast as accepted; clients ack; compare with /health";

    public string Usage => $"""
        usage: Push.LoadTool throughput [options]

        Connects --clients clients (one channel each, every notification acked on arrival). Then
        --senders tasks POST --size-byte random bodies (TTL: 60, Content-Encoding: aes128gcm) to their
        endpoints in turn, each as fast as the service answers, for --duration, over keep-alive HTTP/1.1
        connections (one per sender). Reports pushes accepted per second, notifications delivered and
        acked per second, and errors by status. After the deliveries settle, the same senders GET
        --ceiling-path for --ceiling: the rate of a request that does no push work, the ceiling this
        machine and HTTP stack allow; the ratio is accepted/s over that rate.

        options:
          --clients N         connected clients                                   [1000]
          --senders N         concurrent sender tasks (= HTTP connections)        [64]
          --duration D        how long to push                                    [10s]
          --size BYTES        body size                                           [1024]
          --warmup D          push this long first, uncounted (JIT, pools, grains) [0s]
          --settle D          most time to wait for deliveries after pushing      [5s]
          --ceiling D         how long to measure the ceiling; 0 = skip           [5s]
          --ceiling-path P    the route for the ceiling                           [/health]
          --concurrency N     handshakes in flight at once while connecting       [50]
          --service-pid PID   also report the service's CPU time per delivered message (this machine);
                              several processes as name=PID,name=PID (e.g. each role of a split
                              deployment, and the store): each is reported, and their sum
          --alloc-url URL     also report managed bytes allocated per delivered message, read from
                              this Prometheus page (Push: http://127.0.0.1:8081/metrics); several
                              as name=URL,name=URL
          --store-info H:P    also report what the Redis-protocol store at H:P (loopback) did per
                              delivered message: commands, bytes in and out, calls of each
                              command (INFO all, before and after the window)
          --report-every D    print delivered/s (and the service's CPU) every D while pushing; 0 = off [0s]
          --steady-after D    with --report-every: intervals starting this long into pushing are
                              the steady state (their median rate is "steady")              [45s]
          --reach-percent N   with --report-every: report when the first interval reached N % of
                              steady, in seconds since the first --service-pid process started  [80]
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var clients = args.Number("clients", 1000, 1, 9500);
        var senders = args.Number("senders", 64, 1, 4096);
        var duration = args.Duration("duration", TimeSpan.FromSeconds(10));
        var size = args.Number("size", 1024, 0, 1 << 20);
        var warmup = args.Duration("warmup", TimeSpan.Zero);
        var settle = args.Duration("settle", TimeSpan.FromSeconds(5));
        var ceiling = args.Duration("ceiling", TimeSpan.FromSeconds(5));
        var ceilingPath = args.Text("ceiling-path", "/health");
        var concurrency = args.Number("concurrency", 50);
        var cpu = ServiceCpu.From(args.Text("service-pid"));
        var allocations = ServiceAllocations.From(args.Text("alloc-url"));
        var store = StoreInfo.From(args.Text("store-info"));
        var reportEvery = args.Duration("report-every", TimeSpan.Zero);
        var steadyAfter = args.Duration("steady-after", TimeSpan.FromSeconds(45));
        var reachPercent = args.Number("reach-percent", 80, 1, 100);
        args.ThrowIfUnknown();

        long delivered = 0;
        await using var pool = await ClientPool.OpenAsync(
            target.WebSocket, clients, concurrency, null, autoAck: true, progress: null, cancel, onAcked: (_, _) => Interlocked.Increment(ref delivered));
        Console.WriteLine(pool.Describe());
        if (pool.Clients.Count == 0)
        {
            return 1;
        }

        var endpoints = pool.Clients.Select(c => target.PushUrl(c.Endpoint)).ToArray();
        var body = Payload.Random(size);
        using var sender = new PushSender(senders);
        if (warmup > TimeSpan.Zero)
        {
            Console.WriteLine($"warming up with {senders} senders for {warmup.TotalSeconds:F0} s");
            var (warm, _) = await RatePhase.RunAsync(
                senders, warmup, (i, ct) => sender.PushAsync(endpoints[i % endpoints.Length], body, ct), cancel);
            await Pause.Until(() => Interlocked.Read(ref delivered) >= warm.Accepted, settle, cancel);
        }

        Interlocked.Exchange(ref delivered, 0);
        Console.WriteLine($"pushing with {senders} senders for {duration.TotalSeconds:F0} s");
        var window = new MeasuredWindow(cpu, allocations, store);
        await window.StartAsync(cancel);
        await using var reporter = IntervalReporter.Start(reportEvery, () => Interlocked.Read(ref delivered), cpu);
        var (counts, elapsed) = await RatePhase.RunAsync(
            senders, duration, (i, ct) => sender.PushAsync(endpoints[i % endpoints.Length], body, ct), cancel);
        var deliveredInWindow = Interlocked.Read(ref delivered);
        var intervals = reporter is null ? [] : await reporter.StopAsync();
        var figures = await window.StopAsync(deliveredInWindow, cancel);
        var curve = reporter is null ? null : StartupCurve.From(intervals, steadyAfter, reachPercent / 100.0);
        if (curve is not null)
        {
            Console.WriteLine($"steady {curve.SteadyPerS}/s (median of {curve.SteadyIntervals} intervals from {steadyAfter.TotalSeconds:F0} s), " +
                $"{curve.SteadyCpuPerMessageUs} µs CPU per message; first interval at ≥ {reachPercent} %: {curve.ReachedAfterS} s after service start");
        }

        var accepted = counts.Accepted;
        var settleStart = Stopwatch.GetTimestamp();
        await Pause.Until(() => Interlocked.Read(ref delivered) >= accepted, settle, cancel);
        var settled = Stopwatch.GetElapsedTime(settleStart);
        var deliveredTotal = Interlocked.Read(ref delivered);
        var seconds = elapsed.TotalSeconds;
        Console.WriteLine($"accepted {accepted} ({accepted / seconds:F0}/s), delivered+acked {deliveredInWindow} in the window ({deliveredInWindow / seconds:F0}/s), " +
            $"{deliveredTotal} after {settled.TotalSeconds:F1} s more; errors {counts.Errors}");

        double? ceilingRate = null;
        long ceilingErrors = 0;
        if (ceiling > TimeSpan.Zero && !cancel.IsCancellationRequested)
        {
            var route = new Uri(target.PushApi, ceilingPath);
            var (health, healthElapsed) = await RatePhase.RunAsync(senders, ceiling, (_, ct) => sender.GetAsync(route, ct), cancel);
            ceilingRate = Math.Round(health.Accepted / healthElapsed.TotalSeconds, 1);
            ceilingErrors = health.Errors;
            Console.WriteLine($"ceiling: GET {ceilingPath} {ceilingRate}/s ({health.Errors} errors)");
        }

        var acceptedRate = Math.Round(accepted / seconds, 1);
        SummaryLine.Write(new ThroughputSummary(
            "throughput", pool.Clients.Count, senders, size, Math.Round(seconds, 2), accepted + counts.Errors, accepted, acceptedRate,
            deliveredInWindow, Math.Round(deliveredInWindow / seconds, 1), deliveredTotal, accepted - deliveredTotal, counts.ErrorsByStatus(),
            ceilingPath, ceilingRate, ceilingErrors, ceilingRate is > 0 ? Math.Round(acceptedRate / ceilingRate.Value, 3) : null,
            Math.Round(warmup.TotalSeconds, 1), figures.CpuPercent, figures.CpuPerMessageUs, figures.AllocatedPerMessage, figures.ByProcess,
            figures.StorePerMessage, figures.StartUnixS, figures.EndUnixS, curve?.SteadyPerS, curve?.SteadyCpuPerMessageUs,
            curve is null ? null : reachPercent, curve?.ReachedAfterS, curve?.ReachedAtPushS,
            reporter is null ? null : intervals.Select(i => new IntervalSummary(
                Math.Round(i.EndS, 2), i.SinceServiceStartS is { } t ? Math.Round(t, 2) : null, Math.Round(i.DeliveredPerS), Math.Round(100 * i.CpuSeconds / (i.EndS - i.StartS), 1))).ToList()));
        return counts.Errors == 0 && deliveredTotal >= accepted ? 0 : 1;
    }

    private sealed record ThroughputSummary(
        string Command, int Clients, int Senders, int BodyBytes, double DurationS, long Sent, long Accepted, double AcceptedPerS,
        long DeliveredInWindow, double DeliveredPerS, long DeliveredTotal, long Undelivered, IReadOnlyDictionary<string, long> Errors,
        string CeilingPath, double? CeilingPerS, long CeilingErrors, double? Ratio, double WarmupS, double? ServiceCpuPercent,
        double? ServiceCpuPerMessageUs, double? ServiceAllocatedPerMessageBytes, IReadOnlyDictionary<string, ProcessFigures>? ByProcess,
        IReadOnlyDictionary<string, double>? StorePerMessage, double WindowStartUnixS, double WindowEndUnixS, double? SteadyPerS,
        double? SteadyCpuPerMessageUs, int? ReachPercent, double? ReachedAfterServiceStartS, double? ReachedAfterPushS, IReadOnlyList<IntervalSummary>? Intervals);

    private sealed record IntervalSummary(double EndS, double? SinceServiceStartS, double DeliveredPerS, double ServiceCpuPercent);
}
