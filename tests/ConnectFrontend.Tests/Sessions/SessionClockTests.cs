using Push.ConnectFrontend.Sessions;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>The frontend's one timer wheel on a manual clock: deadlines met in order, at most one resolution late.</summary>
public sealed class SessionClockTests : IDisposable
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(100);
    private readonly ManualTimeProvider _time = new();
    private readonly SessionClock _clock;

    public SessionClockTests() => _clock = new SessionClock(_time, Resolution);

    public void Dispose() => _clock.Dispose();

    [Fact]
    public void Set_Deadline_DueOnTheTurnThatReachesIt()
    {
        var entry = new Entry();
        _clock.Set(entry, TimeSpan.FromMilliseconds(250));

        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, entry.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, entry.Calls);
        Assert.Equal(0, _clock.Count);
    }

    [Fact]
    public void Set_DeadlineBeyondOneTurnOfTheWheel_WaitsForItsOwnTurn()
    {
        var entry = new Entry();
        // 1,024 buckets of 100 ms: the bucket of 150 s comes round at 47.6 s and again at 150 s.
        _clock.Set(entry, TimeSpan.FromSeconds(150));

        _time.Advance(TimeSpan.FromSeconds(149.9));
        Assert.Equal(0, entry.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, entry.Calls);
    }

    [Fact]
    public void Set_MaxValue_NeverDue()
    {
        var entry = new Entry();
        _clock.Set(entry, TimeSpan.FromSeconds(1));
        _clock.Set(entry, TimeSpan.MaxValue);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, entry.Calls);
        Assert.Equal(0, _clock.Count);
    }

    [Fact]
    public void Set_Again_OnlyTheLastDeadlineCounts()
    {
        var entry = new Entry();
        _clock.Set(entry, TimeSpan.FromSeconds(1));
        _clock.Set(entry, TimeSpan.FromSeconds(3));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, entry.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, entry.Calls);
    }

    [Fact]
    public void SetNoLaterThan_EarlierDeadline_BroughtForward_LaterIgnored()
    {
        var entry = new Entry();
        _clock.Set(entry, TimeSpan.FromSeconds(10));
        _clock.SetNoLaterThan(entry, TimeSpan.FromSeconds(20));
        _clock.SetNoLaterThan(entry, TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, entry.Calls);
    }

    [Fact]
    public void Turn_ManyEntriesInOneBucket_EachDueOnlyOnItsOwnTurn()
    {
        var soon = new Entry();
        var nextTurnOfTheWheel = new Entry();
        _clock.Set(soon, TimeSpan.FromSeconds(1));
        _clock.Set(nextTurnOfTheWheel, TimeSpan.FromSeconds(1) + 1024 * Resolution);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), (soon.Calls, nextTurnOfTheWheel.Calls));
        _time.Advance(1024 * Resolution);

        Assert.Equal((1, 1), (soon.Calls, nextTurnOfTheWheel.Calls));
    }

    [Fact]
    public void Set_DeadlineInThePast_DueOnTheNextTurn()
    {
        _time.Advance(TimeSpan.FromSeconds(5));
        var entry = new Entry();

        _clock.Set(entry, TimeSpan.FromSeconds(1));
        _time.Advance(Resolution);

        Assert.Equal(1, entry.Calls);
    }

    private sealed class Entry : ClockEntry
    {
        public int Calls { get; private set; }

        internal override void OnDue() => Calls++;
    }
}
