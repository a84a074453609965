using Push.ConnectFrontend.Sessions;
using Push.Shared.Crypto;
using Push.Shared.Settings;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>The keep-alive schedule on a manual clock: one timer for all sessions, every deadline in order.</summary>
public sealed class KeepAliveTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly Target _target = new();
    private SessionClock? _sessions;
    private readonly ConnectFrontendOptions _options = new()
    {
        Settings = new ConnectSettings
        {
            CryptoKeys = new FernetKeyRing([new byte[32]]),
            AutoPingInterval = TimeSpan.FromSeconds(10),
            AutoPingTimeout = TimeSpan.FromSeconds(2),
            OpenHandshakeTimeout = TimeSpan.FromSeconds(5),
        },
        EndpointBaseUrl = "http://localhost",
        RenewInterval = TimeSpan.FromSeconds(30),
        SendTimeout = TimeSpan.FromSeconds(30),
    };

    private int Ticks => _target.Ticks;

    public void Dispose() => _sessions?.Dispose();

    [Fact]
    public void Check_NoHelloWithinTheHandshakeTimeout_IsHandshakeExpired()
    {
        using var keepAlive = Create();
        keepAlive.StartHandshake();

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, Ticks);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(1, Ticks);
        Assert.Equal(KeepAliveDue.HandshakeExpired, keepAlive.Check(pongCount: 0));
    }

    [Fact]
    public void Check_AfterHello_PingsEveryIntervalAndRenewsEveryRenewInterval()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();
        var pings = 0;
        var renews = 0;

        for (var second = 0; second < 60; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var due = keepAlive.Check(pongCount: 0);
            pings += due.HasFlag(KeepAliveDue.Ping) ? 1 : 0;
            renews += due.HasFlag(KeepAliveDue.Renew) ? 1 : 0;
        }

        Assert.Equal(6, pings);
        Assert.Equal(2, renews);
        Assert.Equal(1, _clock.ActiveTimers);
    }

    [Fact]
    public void Check_NoPongWithinTheTimeout_IsPongMissed()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();
        keepAlive.PingSent(pongCount: 3);

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(KeepAliveDue.PongMissed, keepAlive.Check(pongCount: 3));
    }

    [Fact]
    public void Check_PongArrived_IsNotPongMissed()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();
        keepAlive.PingSent(pongCount: 3);

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(KeepAliveDue.None, keepAlive.Check(pongCount: 4));
    }

    [Fact]
    public void RenewWithin_BringsTheRenewalForward()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();

        keepAlive.RenewWithin(TimeSpan.FromSeconds(1.5));
        _clock.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(1, Ticks);
        Assert.Equal(KeepAliveDue.Renew, keepAlive.Check(pongCount: 0));
    }

    [Fact]
    public void Dispose_LeavesTheClock()
    {
        var keepAlive = Create();
        keepAlive.StartIdentified();
        Assert.Equal(1, _sessions!.Count);

        keepAlive.Dispose();

        Assert.Equal(0, _sessions.Count);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, Ticks);
    }

    [Fact]
    public void Sessions_ShareOneTimer()
    {
        var keepAlives = Enumerable.Range(0, 100).Select(_ => Create()).ToList();
        keepAlives.ForEach(k => k.StartIdentified());

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _clock.ActiveTimers);
        Assert.Equal(100, Ticks);
    }

    [Fact]
    public void SendStarted_NotEndedWithinTheSendTimeout_IsOverdue()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();

        keepAlive.SendStarted();
        _clock.Advance(TimeSpan.FromSeconds(29.9));
        Assert.Equal(0, _target.Overdue);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(1, _target.Overdue);
    }

    [Fact]
    public void SendStarted_EndedInTime_IsNotOverdue()
    {
        using var keepAlive = Create();
        keepAlive.StartIdentified();

        keepAlive.SendStarted();
        _clock.Advance(TimeSpan.FromSeconds(29));
        keepAlive.SendEnded();
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(0, _target.Overdue);
    }

    [Fact]
    public void SendStarted_StuckPastAPing_IsStillOverdue()
    {
        // The ping falls due first; the stuck send must still be cut off at its own deadline.
        using var keepAlive = Create();
        keepAlive.StartIdentified();
        _clock.Advance(TimeSpan.FromSeconds(5));

        keepAlive.SendStarted();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Ticks > 0);
        Assert.Equal(0, _target.Overdue);
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, _target.Overdue);
    }

    private KeepAlive Create() => new(_sessions ??= new SessionClock(_clock), _options, _target);

    private sealed class Target : IKeepAliveTarget
    {
        public int Ticks { get; private set; }

        public int Overdue { get; private set; }

        public void OnTick() => Ticks++;

        public void OnSendOverdue() => Overdue++;
    }
}
