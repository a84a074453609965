namespace Push.ConnectFrontend.Sessions;

/// <summary>Counts the live sessions of this frontend (reported on the health routes).</summary>
public sealed class SessionRegistry
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Opened() => Interlocked.Increment(ref _count);

    /// <summary>Counts a new session unless <paramref name="limit"/> sessions are already open.</summary>
    internal bool TryOpen(int? limit)
    {
        if (limit is not { } max)
        {
            Opened();
            return true;
        }

        while (true)
        {
            var current = Volatile.Read(ref _count);
            if (current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _count, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void Closed() => Interlocked.Decrement(ref _count);
}
