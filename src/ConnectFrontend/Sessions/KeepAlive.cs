namespace Push.ConnectFrontend.Sessions;

/// <summary>What the keep-alive found due at a tick.</summary>
[Flags]
internal enum KeepAliveDue
{
    None = 0,

    /// <summary>No hello within <c>open_handshake_timeout</c>.</summary>
    HandshakeExpired = 1,

    /// <summary>No pong within <c>auto_ping_timeout</c> of the last ping.</summary>
    PongMissed = 2,

    /// <summary><c>auto_ping_interval</c> passed: send changed broadcasts or a ping.</summary>
    Ping = 4,

    /// <summary>Time to renew the observer with the user's grain.</summary>
    Renew = 8,
}

/// <summary>
/// Every deadline of one session (handshake, ping, pong, renewal) on a single timer from
/// <see cref="TimeProvider"/>. The timer only raises a tick; the session's loop calls <see cref="Check"/>,
/// so the schedule is touched by one thread at a time and needs no lock.
/// </summary>
internal sealed class KeepAlive : IDisposable
{
    private static readonly TimeSpan Never = TimeSpan.MaxValue;
    private readonly TimeProvider _time;
    private readonly ConnectFrontendOptions _options;
    private readonly ITimer _timer;
    private readonly long _start;
    private TimeSpan _handshakeDeadline = Never;
    private TimeSpan _nextPing = Never;
    private TimeSpan _pongDeadline = Never;
    private TimeSpan _nextRenew = Never;
    private int _pongsAtPing;

    public KeepAlive(TimeProvider time, ConnectFrontendOptions options, Action tick)
    {
        _time = time;
        _options = options;
        _start = time.GetTimestamp();

        // The timer must not keep the request's execution context (and what it references) alive.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(static state => ((Action)state!)(), tick, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>Waiting for hello.</summary>
    public void StartHandshake()
    {
        _handshakeDeadline = Now + _options.Settings.OpenHandshakeTimeout;
        Schedule();
    }

    /// <summary>Hello done: pings and renewals from now on.</summary>
    public void StartIdentified()
    {
        var now = Now;
        _handshakeDeadline = Never;
        _nextPing = now + _options.Settings.AutoPingInterval;
        _nextRenew = now + _options.RenewInterval;
        Schedule();
    }

    /// <summary>A ping went out; a pong must follow within <c>auto_ping_timeout</c>.</summary>
    public void PingSent(int pongCount)
    {
        if (_pongDeadline == Never)
        {
            _pongsAtPing = pongCount;
            _pongDeadline = Now + _options.Settings.AutoPingTimeout;
            Schedule();
        }
    }

    /// <summary>Brings the next renewal forward to at most <paramref name="delay"/> from now.</summary>
    public void RenewWithin(TimeSpan delay)
    {
        var due = Now + delay;
        if (due < _nextRenew)
        {
            _nextRenew = due;
            Schedule();
        }
    }

    /// <summary>What is due now, given the pongs read so far; schedules the next tick.</summary>
    public KeepAliveDue Check(int pongCount)
    {
        var now = Now;
        var due = KeepAliveDue.None;
        if (now >= _handshakeDeadline)
        {
            due |= KeepAliveDue.HandshakeExpired;
            _handshakeDeadline = Never;
        }

        if (pongCount != _pongsAtPing)
        {
            _pongDeadline = Never;
        }
        else if (now >= _pongDeadline)
        {
            due |= KeepAliveDue.PongMissed;
            _pongDeadline = Never;
        }

        if (now >= _nextPing)
        {
            due |= KeepAliveDue.Ping;
            _nextPing = now + _options.Settings.AutoPingInterval;
        }

        if (now >= _nextRenew)
        {
            due |= KeepAliveDue.Renew;
            _nextRenew = now + _options.RenewInterval;
        }

        Schedule();
        return due;
    }

    public void Dispose() => _timer.Dispose();

    private void Schedule()
    {
        var next = Min(Min(_handshakeDeadline, _nextPing), Min(_pongDeadline, _nextRenew));
        if (next != Never)
        {
            var delay = next - Now;
            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
