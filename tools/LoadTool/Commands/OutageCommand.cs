using System.Collections.Concurrent;
using System.Diagnostics;
using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>
/// What senders and clients see while the store fails: an open-loop stream of numbered pushes, each
/// answer (or its absence) timed, then a watch for pushes that reach a client without having been
/// accepted. The failure itself is caused from outside (kill the store, start it again).
/// </summary>
public sealed class OutageCommand : ILoadCommand
{
    public string Name => "outage";

    public string Summary => "push at a fixed rate while the store is stopped from outside; answers, losses, late deliveries";

    public string Usage => $"""
        usage: Push.LoadTool outage [options]

        Connects --clients clients (one channel each, acking every notification), then starts --rate
        numbered pushes per second for --duration (open loop), each waiting at most --timeout for its
        answer, as a sender with that timeout would. Stop and restart the store from another shell
        meanwhile. Afterwards it waits up to --settle for every accepted push to arrive, then watches
        --watch longer. Reports answers by status, answer times, and when refusals began and ended;
        accepted pushes that never arrived (lost), arrivals of pushes never answered 201 (late
        deliveries: refused or unanswered, yet delivered), and pushes that arrived twice.

        options:
          --clients N         connected clients                                   [500]
          --rate N            pushes started per second                           [200]
          --duration D        how long to push                                    [60s]
          --timeout D         a sender's wait for each answer                     [5s]
          --size BYTES        body size (at least 8: the push's number)           [1024]
          --settle D          most time to wait for accepted pushes to arrive     [60s]
          --watch D           time to keep watching for late deliveries after     [40s]
          --concurrency N     handshakes in flight at once while connecting       [50]
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var clients = args.Number("clients", 500, 1, 9500);
        var rate = args.Number("rate", 200, 1, 100_000);
        var duration = args.Duration("duration", TimeSpan.FromSeconds(60));
        var timeout = args.Duration("timeout", TimeSpan.FromSeconds(5));
        var size = args.Number("size", 1024, 8, 1 << 20);
        var settle = args.Duration("settle", TimeSpan.FromSeconds(60));
        var watch = args.Duration("watch", TimeSpan.FromSeconds(40));
        var concurrency = args.Number("concurrency", 50);
        args.ThrowIfUnknown();

        var arrivals = new ConcurrentDictionary<long, int>();
        void OnNotification(PushClient client, Notification n)
        {
            if (Payload.TryReadStamp(n.Data, out var number))
            {
                arrivals.AddOrUpdate(number, 1, (_, count) => count + 1);
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
        using var sender = new PushSender(1024, ttl: 3600, timeout: timeout);
        var answers = new PushAnswer[(int)Math.Ceiling(rate * duration.TotalSeconds)];
        var pending = new List<Task>(answers.Length);
        var start = Stopwatch.GetTimestamp();
        Console.WriteLine($"pushing {rate}/s for {duration.TotalSeconds:F0} s; stop and restart the store now");

        async Task SendOneAsync(int number)
        {
            var sentAt = Stopwatch.GetElapsedTime(start);
            var status = await sender.PushAsync(endpoints[number % endpoints.Length], Payload.Tagged(template, number), CancellationToken.None);
            answers[number] = new PushAnswer(sentAt, Stopwatch.GetElapsedTime(start) - sentAt, status);
        }

        var sent = 0;
        while (!cancel.IsCancellationRequested && sent < answers.Length)
        {
            var due = Math.Min(answers.Length, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                pending.Add(SendOneAsync(sent));
            }

            await Task.Delay(1, CancellationToken.None);
        }

        await Task.WhenAll(pending);
        var sentAnswers = answers.Take(sent).ToArray();
        var accepted = Enumerable.Range(0, sent).Where(i => sentAnswers[i].Status == 201).ToArray();
        await Pause.Until(() => accepted.All(i => arrivals.ContainsKey(i)), settle, cancel);
        await Pause.For(watch, cancel);

        var report = OutageReport.From(sentAnswers, arrivals);
        Console.WriteLine(report.Describe());
        SummaryLine.Write(report with { Command = Name, Clients = pool.Clients.Count, Rate = rate, DurationS = Math.Round(duration.TotalSeconds, 2), TimeoutS = timeout.TotalSeconds });
        return report.Lost == 0 && report.LateDeliveries == 0 ? 0 : 1;
    }
}
