using Push.ConnectFrontend.WebSockets;

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

/// <summary>What a session's keep-alive tells its session, from the clock's thread.</summary>
internal interface IKeepAliveTarget
{
    /// <summary>A deadline came: the session's loop is to call <see cref="KeepAlive.Check"/>.</summary>
    void OnTick();

    /// <summary>A send took longer than the send timeout: the client stopped reading.</summary>
    void OnSendOverdue();
}

/// <summary>
/// Every deadline of one session (handshake, ping, pong, renewal, and the send in progress) as one entry
/// on the frontend's <see cref="SessionClock"/>. The clock only tells the session; the session's loop
/// calls <see cref="Check"/>, so the schedule is touched by one thread at a time. A send that overruns
/// is cut off by the clock itself, since the loop is then stuck in it.
/// </summary>
internal sealed class KeepAlive(SessionClock clock, ConnectFrontendOptions options, IKeepAliveTarget target) : ClockEntry, ISendWatch, IDisposable
{
    private static readonly TimeSpan Never = TimeSpan.MaxValue;
    private TimeSpan _handshakeDeadline = Never;
    private TimeSpan _nextPing = Never;
    private TimeSpan _pongDeadline = Never;
    private TimeSpan _nextRenew = Never;
    private long _sendDeadline = long.MaxValue;
    private int _pongsAtPing;

    private TimeSpan Now => clock.Now;

    /// <summary>Waiting for hello.</summary>
    public void StartHandshake()
    {
        _handshakeDeadline = Now + options.Settings.OpenHandshakeTimeout;
        Schedule();
    }

    /// <summary>Hello done: pings and renewals from now on.</summary>
    public void StartIdentified()
    {
        var now = Now;
        _handshakeDeadline = Never;
        _nextPing = now + options.Settings.AutoPingInterval;
        _nextRenew = now + options.RenewInterval;
        Schedule();
    }

    /// <summary>A ping went out; a pong must follow within <c>auto_ping_timeout</c>.</summary>
    public void PingSent(int pongCount)
    {
        if (_pongDeadline == Never)
        {
            _pongsAtPing = pongCount;
            _pongDeadline = Now + options.Settings.AutoPingTimeout;
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
            _nextPing = now + options.Settings.AutoPingInterval;
        }

        if (now >= _nextRenew)
        {
            due |= KeepAliveDue.Renew;
            _nextRenew = now + options.RenewInterval;
        }

        Schedule();
        return due;
    }

    /// <summary>A send to the client begins (the session's loop only): it must end within the send timeout.</summary>
    public void SendStarted()
    {
        var deadline = Now + options.SendTimeout;
        Volatile.Write(ref _sendDeadline, deadline.Ticks);
        clock.SetNoLaterThan(this, deadline);
    }

    public void SendEnded() => Volatile.Write(ref _sendDeadline, long.MaxValue);

    public void Dispose() => clock.Set(this, Never);

    internal override void OnDue()
    {
        var sending = Volatile.Read(ref _sendDeadline);
        if (sending != long.MaxValue)
        {
            if (Now.Ticks >= sending)
            {
                target.OnSendOverdue();
            }
            else
            {
                // Due for something else while a send is stuck: keep watching the send.
                clock.SetNoLaterThan(this, TimeSpan.FromTicks(sending));
            }
        }

        target.OnTick();
    }

    private void Schedule() => clock.Set(this, Min(Min(_handshakeDeadline, _nextPing), Min(_pongDeadline, _nextRenew)));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
