using Push.ConnectFrontend.Sessions;
using Push.Shared.Crypto;
using Push.Shared.Settings;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>The keep-alive schedule on a manual clock: one timer, every deadline in order.</summary>
public sealed class KeepAliveTests
{
    private readonly ManualTimeProvider _clock = new();
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
    };

    private int _ticks;

    [Fact]
    public void Check_NoHelloWithinTheHandshakeTimeout_IsHandshakeExpired()
    {
        using var keepAlive = Create();
        keepAlive.StartHandshake();

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, _ticks);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(1, _ticks);
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

        Assert.Equal(1, _ticks);
        Assert.Equal(KeepAliveDue.Renew, keepAlive.Check(pongCount: 0));
    }

    [Fact]
    public void Dispose_RemovesTheTimer()
    {
        var keepAlive = Create();
        keepAlive.StartIdentified();

        keepAlive.Dispose();

        Assert.Equal(0, _clock.ActiveTimers);
    }

    private KeepAlive Create() => new(_clock, _options, () => _ticks++);
}
