using System.Diagnostics;

namespace Push.LoadTool.Measure;

/// <summary>
/// A closed-loop phase: <c>senders</c> tasks each repeat one request as fast as it is answered, for
/// a fixed time. The answered rate is what the service (and this machine) can take.
/// </summary>
public static class RatePhase
{
    public static async Task<(StatusCounts Counts, TimeSpan Elapsed)> RunAsync(
        int senders, TimeSpan duration, Func<long, CancellationToken, Task<int>> request, CancellationToken cancel)
    {
        var counts = new StatusCounts();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(duration);
        long sequence = -1;
        var started = Stopwatch.GetTimestamp();
        async Task SenderAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The request itself is not cancelled at the deadline: an accepted push must be counted.
                    counts.Add(await request(Interlocked.Increment(ref sequence), CancellationToken.None));
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(SenderAsync, CancellationToken.None)));
        return (counts, Stopwatch.GetElapsedTime(started));
    }
}
