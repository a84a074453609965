using System.Collections.Concurrent;

namespace Push.ConnectFrontend.Sessions;

/// <summary>Counts the live sessions of this frontend (reported on the health routes), and reaches them all when the cluster changes.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<PushSession, byte> _live = new();
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

    internal void Attach(PushSession session) => _live.TryAdd(session, 0);

    internal void Detach(PushSession session) => _live.TryRemove(session, out _);

    /// <summary>Asks every live session to close: the frontend is shutting down.</summary>
    internal void ShutdownAll()
    {
        foreach (var session in _live.Keys)
        {
            session.Shutdown();
        }
    }

    /// <summary>
    /// Asks every live session to renew with its grain soon (each at its own random moment): grains on a
    /// silo that left are gone, and only a renewal brings them back with the session's observer.
    /// Returns how many sessions were asked.
    /// </summary>
    internal int RepairAll()
    {
        var count = 0;
        foreach (var session in _live.Keys)
        {
            session.RepairGrainLink();
            count++;
        }

        return count;
    }
}
