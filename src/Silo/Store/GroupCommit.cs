using Push.Grains.Storage;

namespace Push.Silo.Store;

/// <summary>
/// Group commit: callers that need their acknowledged writes on disk wait here, and one sync covers
/// every caller that arrived before it started. While a sync runs, new callers gather for the next
/// one, so the number of syncs per second is bounded by the disk, not by the number of writes.
/// </summary>
public sealed class GroupCommit(Func<CancellationToken, ValueTask> sync) : IStoreCommit
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _next;
    private bool _running;

    public Task WaitAsync()
    {
        lock (_lock)
        {
            // Continuations run on the committing thread: each is a short hop back onto its grain's
            // scheduler, cheaper than a thread-pool work item per waiter.
            _next ??= new TaskCompletionSource();
            var waiting = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }

            return waiting;
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (_lock)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                batch = _next;
                _next = null;
            }

            try
            {
                // Everything acknowledged before this call is in the log's tail, so this sync covers it.
                await sync(CancellationToken.None);
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(new StoreUnavailableException("The store could not sync its log: " + e.Message, e));
            }
        }
    }
}
