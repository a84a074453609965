using System.Diagnostics;
using Push.LoadTool.Cli;
using Push.LoadTool.Http;
using Push.LoadTool.Measure;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>Catching up: how long a returning client takes to receive and ack a full stored queue.</summary>
public sealed class DrainCommand : ILoadCommand
{
    public string Name => "drain";

    public string Summary => "one offline client gets M stored messages on reconnect; time to receive and ack all";

    public string Usage => $"""
        usage: Push.LoadTool drain [options]

        Registers one client and disconnects it, POSTs --messages messages to it (--senders at a time),
        then reconnects as the same user and times from the start of the reconnect until every
        accepted message has arrived and been acked (each acked as it arrives). Repeats --repeat times,
        each with a new user, and prints every run and the median. Keep --messages at or below the
        service's msg_limit (default 1000), or the oldest are evicted and never arrive.

        options:
          --messages N        messages stored before the reconnect               [1000]
          --repeat N          runs                                               [3]
          --senders N         POSTs in flight while filling the queue            [16]
          --size BYTES        body size                                          [1024]
          --timeout D         most time to wait for one drain                    [60s]
        {Target.Help}
        """;

    public async Task<int> RunAsync(Arguments args, CancellationToken cancel)
    {
        var target = Target.From(args);
        var messages = args.Number("messages", 1000);
        var repeat = args.Number("repeat", 3, 1, 1000);
        var senders = args.Number("senders", 16, 1, 1024);
        var size = args.Number("size", 1024, 0, 1 << 20);
        var timeout = args.Duration("timeout", TimeSpan.FromSeconds(60));
        args.ThrowIfUnknown();

        using var sender = new PushSender(senders);
        var body = Payload.Random(size);
        var runs = new List<DrainRun>();
        var errors = new StatusCounts();
        for (var run = 1; run <= repeat && !cancel.IsCancellationRequested; run++)
        {
            var user = await OfflineUser.CreateAsync(target, cancel);
            var (counts, fill) = await CountPhase.RunAsync(messages, senders, _ => sender.PushAsync(user.PushUrl, body, CancellationToken.None), cancel);
            foreach (var (status, n) in counts.ErrorsByStatus())
            {
                Console.WriteLine($"run {run}: {n} POSTs answered {status}");
            }

            errors.AddAll(counts);
            var result = await DrainOnceAsync(target, user, counts.Accepted, timeout, cancel);
            runs.Add(result with { Run = run, FillMs = Math.Round(fill.TotalMilliseconds, 1) });
            Console.WriteLine($"run {run}: stored {counts.Accepted} in {fill.TotalMilliseconds:F0} ms; drained {result.Received} in {result.DrainMs} ms " +
                $"(hello {result.HelloMs} ms, first notification {result.FirstMs} ms){(result.Complete ? "" : " INCOMPLETE")}");
        }

        var median = LatencySummary.Median(runs.Where(r => r.Complete).Select(r => r.DrainMs));
        Console.WriteLine($"median drain of {messages}: {median} ms");
        SummaryLine.Write(new DrainSummary(
            "drain", messages, repeat, median, median > 0 ? Math.Round(messages / (median / 1000), 1) : 0,
            runs.Count(r => !r.Complete), errors.ErrorsByStatus(), runs));
        return runs.All(r => r.Complete) && errors.Errors == 0 ? 0 : 1;
    }

    private static async Task<DrainRun> DrainOnceAsync(Target target, OfflineUser user, long expected, TimeSpan timeout, CancellationToken cancel)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = 0;
        var start = Stopwatch.GetTimestamp();
        await using var client = await user.ReconnectAsync(target, cancel);
        var hello = Stopwatch.GetElapsedTime(start);
        if (expected == 0)
        {
            done.TrySetResult(Stopwatch.GetTimestamp());
        }

        // Both callbacks run on the client's receive loop, one at a time.
        client.Start(
            (_, n) => first = first == 0 ? n.ReceivedTimestamp : first,
            autoAck: true,
            (_, n) =>
            {
                if (seen.Add(n.Version) && seen.Count >= expected)
                {
                    done.TrySetResult(Stopwatch.GetTimestamp());
                }
            });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        var complete = true;
        long end;
        try
        {
            end = await done.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            complete = false;
            end = Stopwatch.GetTimestamp();
        }

        await client.CloseAsync(TimeSpan.FromSeconds(5));
        return new DrainRun(0, expected, client.Received, complete, 0, Ms(start, end), Ms(hello),
            first == 0 ? null : Ms(start, first));
    }

    private static double Ms(long from, long to) => Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    private static double Ms(TimeSpan span) => Math.Round(span.TotalMilliseconds, 1);

    private sealed record DrainRun(int Run, long Stored, long Received, bool Complete, double FillMs, double DrainMs, double HelloMs, double? FirstMs);

    private sealed record DrainSummary(
        string Command, int Messages, int Repeat, double MedianMs, double MedianPerS, int Incomplete, IReadOnlyDictionary<string, long> Errors,
        IReadOnlyList<DrainRun> Runs);
}
