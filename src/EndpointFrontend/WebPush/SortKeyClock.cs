namespace Push.EndpointFrontend.WebPush;

/// <summary>
/// Sort keys: receipt time in microseconds, strictly increasing within this process, so two messages
/// accepted here never share one. (A clash between two processes is caught by the store.)
/// </summary>
internal static class SortKeyClock
{
    private static long _last;

    public static long Next(TimeProvider time)
    {
        var now = (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
