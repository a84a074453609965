using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>Whether the stored queue's length makes storing, reconnecting or acking slower.</summary>
public sealed class QueueCommand : ILoadCommand
{
    public string Name => "queue";

    public string Summary => "cost of a deep offline queue: POST latency at position k, ack round trip with d stored";

    public string Usage => $"""
        usage: Push.LoadTool queue [options]

        For each depth d in --depths, a new user registers and goes offline, and d messages are POSTed
        to it one after another (never two at once, so the k-th POST finds k-1 messages stored). Then:

          store_ms[k]   latency of the k-th POST (k in --positions), i.e. storing with k-1 already queued
          hello_ms      reconnect and hello answered, with d stored
          first_ms      reconnect to the first stored notification
          ack_rtt_ms    the first notification's ack followed by a marker (a broadcast_subscribe the
                        service answers from memory) until the marker's answer: the service handles a
                        connection's frames in order, so this is one ack with d stored (the acked one
                        included) plus one marker
          marker_rtt_ms the marker alone, right after: subtract it to get the ack's own cost (ack_ms)
          drain_ms      reconnect until all d have arrived and been acked (each acked as it arrives)

        Every figure is the median over --repeat runs. Keep depths at or below the service's
        msg_limit (default 1000). The first notifications of a deep queue are sent right after hello,
        so the ack round trip includes waiting behind them, as a real client's would.

        options:
          --depths LIST       queue depths at reconnect                          [1,100,1000]
          --positions LIST    POST positions whose latency is reported           [1,100,1000]
          --repeat N          runs per depth                                     [3]
          --size BYTES        body size                                          [1024]
          --timeout D         most time to wait for one drain                    [60s]
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var depths = args.NumberList("depths", [1, 100, 1000]);
        var positions = args.NumberList("positions", [1, 100, 1000]);
        var repeat = args.Number("repeat", 3, 1, 1000);
        var size = args.Number("size", 1024, 0, 1 << 20);
        var timeout = args.Duration("timeout", TimeSpan.FromSeconds(60));
        args.ThrowIfUnknown();

        using var sender = new PushSender(1);
        var body = Payload.Random(size);
        var errors = new StatusCounts();
        var storeSamples = positions.ToDictionary(p => p, _ => new List<double>());
        var depthRuns = depths.ToDictionary(d => d, _ => new List<DepthRun>());
        for (var run = 1; run <= repeat && !cancel.IsCancellationRequested; run++)
        {
            foreach (var depth in depths)
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                var user = await OfflineUser.CreateAsync(target, cancel);
                long accepted = 0;
                for (var k = 1; k <= depth; k++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var status = await sender.PushAsync(user.PushUrl, body, CancellationToken.None);
                    var elapsed = Stopwatch.GetElapsedTime(start);
                    errors.Add(status);
                    accepted += status is >= 200 and < 300 ? 1 : 0;
                    if (storeSamples.TryGetValue(k, out var samples))
                    {
                        samples.Add(elapsed.TotalMilliseconds);
                    }
                }

                var result = await ReconnectAndAckAsync(target, user, accepted, timeout, cancel);
                depthRuns[depth].Add(result);
                Console.WriteLine($"run {run}, depth {depth}: hello {result.HelloMs:F1} ms, first {result.FirstMs:F1} ms, ack round trip {result.AckRttMs:F1} ms " +
                    $"(marker {result.MarkerRttMs:F1} ms), drain {result.DrainMs:F1} ms{(result.Complete ? "" : " INCOMPLETE")}");
            }
        }

        var store = storeSamples.Where(kv => kv.Value.Count > 0)
            .ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => LatencySummary.Median(kv.Value));
        var summaries = depthRuns.Where(kv => kv.Value.Count > 0).Select(kv => new DepthSummary(
            kv.Key,
            kv.Value.Count,
            LatencySummary.Median(kv.Value.Select(r => r.HelloMs)),
            LatencySummary.Median(kv.Value.Select(r => r.FirstMs)),
            LatencySummary.Median(kv.Value.Select(r => r.AckRttMs)),
            LatencySummary.Median(kv.Value.Select(r => r.MarkerRttMs)),
            LatencySummary.Median(kv.Value.Select(r => r.AckRttMs - r.MarkerRttMs)),
            LatencySummary.Median(kv.Value.Select(r => r.DrainMs)),
            kv.Value.Count(r => !r.Complete))).ToList();
        foreach (var (position, ms) in store)
        {
            Console.WriteLine($"store: POST #{position} median {ms} ms");
        }

        foreach (var d in summaries)
        {
            Console.WriteLine($"depth {d.Queued}: hello {d.HelloMs} ms, first {d.FirstMs} ms, ack {d.AckMs} ms (round trip {d.AckRttMs}, marker {d.MarkerRttMs}), drain {d.DrainMs} ms");
        }

        SummaryLine.Write(new QueueSummary("queue", repeat, store, summaries, errors.ErrorsByStatus()));
        return errors.Errors == 0 && summaries.All(d => d.Incomplete == 0) ? 0 : 1;
    }

    private static async Task<DepthRun> ReconnectAndAckAsync(Target target, OfflineUser user, long expected, TimeSpan timeout, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        var arrivals = Channel.CreateUnbounded<Notification>();
        var start = Stopwatch.GetTimestamp();
        await using var client = await user.ReconnectAsync(target, limit.Token);
        var hello = Stopwatch.GetElapsedTime(start);
        client.Start((_, n) => arrivals.Writer.TryWrite(n), autoAck: false);
        double first = 0, ackRtt = 0, markerRtt = 0;
        var acked = new HashSet<string>(StringComparer.Ordinal);
        var complete = true;
        try
        {
            if (expected > 0)
            {
                var head = await arrivals.Reader.ReadAsync(limit.Token);
                first = Stopwatch.GetElapsedTime(start, head.ReceivedTimestamp).TotalMilliseconds;
                ackRtt = (await client.RoundTripAsync(new AckMessage([new AckUpdate(head.ChannelId, head.Version)]), limit.Token)).TotalMilliseconds;
                markerRtt = (await client.RoundTripAsync(null, limit.Token)).TotalMilliseconds;
                acked.Add(head.Version);
            }

            while (acked.Count < expected)
            {
                var next = await arrivals.Reader.ReadAsync(limit.Token);
                if (acked.Add(next.Version))
                {
                    await client.AckAsync(next, limit.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            complete = false;
        }

        var drain = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await client.CloseAsync(TimeSpan.FromSeconds(5));
        return new DepthRun(hello.TotalMilliseconds, first, ackRtt, markerRtt, drain, complete);
    }

    private sealed record DepthRun(double HelloMs, double FirstMs, double AckRttMs, double MarkerRttMs, double DrainMs, bool Complete);

    private sealed record DepthSummary(
        int Queued, int Runs, double HelloMs, double FirstMs, double AckRttMs, double MarkerRttMs, double AckMs, double DrainMs, int Incomplete);

    private sealed record QueueSummary(
        string Command, int Repeat, IReadOnlyDictionary<string, double> StoreMs, IReadOnlyList<DepthSummary> Depths,
        IReadOnlyDictionary<string, long> Errors);
}
