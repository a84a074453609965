using Push.Shared.Batching;
using Push.Testing;

namespace Push.Shared.Tests.Batching;

public sealed class SerialBatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddAsync_WhileABatchRuns_GathersTheNextOneAndKeepsOneRunning()
    {
        var release = new TaskCompletionSource();
        var batches = new List<IReadOnlyList<int>>();
        var running = 0;
        var overlapped = false;
        var batcher = new SerialBatcher<int>(async (items, _) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            lock (batches)
            {
                batches.Add(items);
            }

            if (items[0] == 1)
            {
                await release.Task;
            }

            Interlocked.Decrement(ref running);
        });

        var first = batcher.AddAsync(1);
        await Eventually.WaitAsync(() => { lock (batches) { return batches.Count == 1; } }, Timeout, "the first batch to start");
        var later = Enumerable.Range(2, 5).Select(batcher.AddAsync).ToArray();
        Assert.DoesNotContain(later, t => t.IsCompleted);
        release.SetResult();
        await Task.WhenAll(later.Append(first)).WaitAsync(Timeout);

        Assert.Equal([[1], [2, 3, 4, 5, 6]], batches.Select(b => b.ToArray()).ToArray());
        Assert.False(overlapped);
    }

    [Fact]
    public async Task AddAsync_BatchFails_FailsItsCallersOnlyAndTheNextBatchRuns()
    {
        var batcher = new SerialBatcher<string>((items, _) =>
            items.Contains("bad") ? Task.FromException(new InvalidOperationException("no")) : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.AddAsync("bad").WaitAsync(Timeout));
        await batcher.AddAsync("good").WaitAsync(Timeout);
    }
}
