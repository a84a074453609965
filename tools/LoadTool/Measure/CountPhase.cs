using System.Diagnostics;

namespace Push.LoadTool.Measure;

/// <summary>A fixed number of requests, made by <c>workers</c> tasks at once, each as soon as the last is answered.</summary>
public static class CountPhase
{
    public static async Task<(StatusCounts Counts, TimeSpan Elapsed)> RunAsync(
        long count, int workers, Func<long, Task<int>> request, CancellationToken cancel)
    {
        var counts = new StatusCounts();
        long next = -1;
        var started = Stopwatch.GetTimestamp();
        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count && !cancel.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                counts.Add(await request(i));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, (int)Math.Min(workers, count)).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        return (counts, Stopwatch.GetElapsedTime(started));
    }
}
