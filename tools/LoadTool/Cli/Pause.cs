namespace Push.LoadTool.Cli;

/// <summary>Waits that a signal cuts short without throwing: the command then winds down and reports.</summary>
public static class Pause
{
    public static async Task For(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, cancel);
        }
        catch (OperationCanceledException)
        {
            // Cut short on purpose.
        }
    }

    /// <summary>Polls <paramref name="done"/> until it holds or <paramref name="limit"/> passes; true if it held.</summary>
    public static async Task<bool> Until(Func<bool> done, TimeSpan limit, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done())
        {
            if (DateTime.UtcNow >= deadline || cancel.IsCancellationRequested)
            {
                return false;
            }

            await For(TimeSpan.FromMilliseconds(20), cancel);
        }

        return true;
    }
}
