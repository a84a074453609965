namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// One timer for every session of the frontend: a hashed wheel of buckets, turned every
/// <c>resolution</c>. Each session's <see cref="KeepAlive"/> sits in the bucket of its next deadline
/// and is told when it comes, so a session costs no timer of its own and an idle session no work.
/// </summary>
internal sealed class SessionClock : IDisposable
{
    /// <summary>How finely deadlines are kept: a deadline is met at most this late.</summary>
    public static readonly TimeSpan DefaultResolution = TimeSpan.FromMilliseconds(100);

    // With the default resolution, a turn of the whole wheel is about 100 s; later deadlines wait in
    // their bucket for as many turns as it takes.
    private const int Buckets = 1024;
    private readonly long _start;
    private readonly long _resolution;
    private readonly ClockEntry?[] _buckets = new ClockEntry?[Buckets];
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private long _turned;
    private int _count;

    public SessionClock(TimeProvider time)
        : this(time, DefaultResolution)
    {
    }

    public SessionClock(TimeProvider time, TimeSpan resolution)
    {
        Time = time;
        _start = time.GetTimestamp();
        _resolution = resolution.Ticks;

        // The timer must not keep the execution context of whoever created the clock alive.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(static clock => ((SessionClock)clock!).Turn(), this, resolution, resolution);
        }
    }

    public TimeProvider Time { get; }

    /// <summary>Time since the clock started; deadlines are given on this scale.</summary>
    public TimeSpan Now => Time.GetElapsedTime(_start);

    /// <summary>Entries waiting for a deadline.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Sets when <paramref name="entry"/> is next due; <see cref="TimeSpan.MaxValue"/>: never.</summary>
    public void Set(ClockEntry entry, TimeSpan due)
    {
        lock (_lock)
        {
            Unlink(entry);
            if (due != TimeSpan.MaxValue)
            {
                Link(entry, TurnOf(due));
            }
        }
    }

    /// <summary>Brings <paramref name="entry"/>'s deadline forward to <paramref name="due"/>, if it is not due sooner already.</summary>
    public void SetNoLaterThan(ClockEntry entry, TimeSpan due)
    {
        var turn = TurnOf(due);
        lock (_lock)
        {
            if (entry.DueTurn > turn)
            {
                Unlink(entry);
                Link(entry, turn);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private long TurnOf(TimeSpan due) => (due.Ticks + _resolution - 1) / _resolution;

    private void Turn()
    {
        List<ClockEntry>? due = null;
        lock (_lock)
        {
            var target = Now.Ticks / _resolution;

            // A late turn (a busy machine) looks at each bucket once, however many turns it missed.
            for (var turn = Math.Max(_turned + 1, target - Buckets + 1); turn <= target; turn++)
            {
                for (var entry = _buckets[turn % Buckets]; entry is not null;)
                {
                    var next = entry.Next;
                    if (entry.DueTurn <= target)
                    {
                        Unlink(entry);
                        (due ??= []).Add(entry);
                    }

                    entry = next;
                }
            }

            _turned = Math.Max(_turned, target);
        }

        foreach (var entry in due ?? [])
        {
            entry.OnDue();
        }
    }

    private void Link(ClockEntry entry, long turn)
    {
        turn = Math.Max(turn, _turned + 1);
        var bucket = turn % Buckets;
        entry.DueTurn = turn;
        entry.Previous = null;
        entry.Next = _buckets[bucket];
        if (entry.Next is { } head)
        {
            head.Previous = entry;
        }

        _buckets[bucket] = entry;
        _count++;
    }

    private void Unlink(ClockEntry entry)
    {
        if (entry.DueTurn == ClockEntry.NotDue)
        {
            return;
        }

        if (entry.Previous is { } previous)
        {
            previous.Next = entry.Next;
        }
        else
        {
            _buckets[entry.DueTurn % Buckets] = entry.Next;
        }

        if (entry.Next is { } next)
        {
            next.Previous = entry.Previous;
        }

        entry.Previous = entry.Next = null;
        entry.DueTurn = ClockEntry.NotDue;
        _count--;
    }
}

/// <summary>Something with a deadline on a <see cref="SessionClock"/>; its links are the clock's, kept under the clock's lock.</summary>
internal abstract class ClockEntry
{
    internal const long NotDue = long.MaxValue;

    internal ClockEntry? Previous { get; set; }

    internal ClockEntry? Next { get; set; }

    internal long DueTurn { get; set; } = NotDue;

    /// <summary>The deadline came. Called on the clock's thread, outside its lock; the entry is no longer due.</summary>
    internal abstract void OnDue();
}
