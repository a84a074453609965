using Push.ConnectFrontend.Sessions;

namespace Push.ConnectFrontend.Tests.Sessions;

public sealed class CommandRateLimiterTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void TryTake_BurstUsedUp_RefusesUntilTimePasses()
    {
        var limiter = new CommandRateLimiter(perMinute: 60, burst: 3, _clock);

        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }

    [Fact]
    public void TryTake_LongIdle_RefillsOnlyToTheBurst()
    {
        var limiter = new CommandRateLimiter(perMinute: 60, burst: 2, _clock);
        limiter.TryTake();

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.True(limiter.TryTake());
        Assert.True(limiter.TryTake());
        Assert.False(limiter.TryTake());
    }

    [Fact]
    public void TryTake_RateZero_NeverRefuses()
    {
        var limiter = new CommandRateLimiter(perMinute: 0, burst: 1, _clock);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(limiter.TryTake()));
    }
}
