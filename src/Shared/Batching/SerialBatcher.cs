namespace Push.Shared.Batching;

/// <summary>
/// Runs one batch at a time and gathers everything that arrives meanwhile into the next one, so
/// the number of batches a second adapts to how long one takes: no timer, and no added wait when
/// idle. A caller's task completes (or fails) with the batch that carried its item. A batch holds
/// at most what arrived while the previous one ran, so it is bounded by the callers' own concurrency.
/// </summary>
public sealed class SerialBatcher<T>(Func<IReadOnlyList<T>, CancellationToken, Task> run)
{
    private readonly Lock _lock = new();
    private List<T> _items = [];
    private TaskCompletionSource? _next;
    private bool _running;

    public Task AddAsync(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
            // Continuations run on the thread that finished the batch: each is a short hop back to its
            // caller, cheaper than a thread-pool work item per caller.
            _next ??= new TaskCompletionSource();
            var done = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }

            return done;
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<T> items;
            TaskCompletionSource batch;
            lock (_lock)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                (items, batch) = (_items, _next);
                (_items, _next) = ([], null);
            }

            try
            {
                await run(items, CancellationToken.None);
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
        }
    }
}
