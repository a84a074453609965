using Microsoft.Extensions.Logging.Abstractions;
using Push.ConnectFrontend.Acks;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Tests.Acks;

/// <summary>The acks of ended sessions: retried with growing pauses, and never more of them nor for longer than allowed.</summary>
public sealed class AckRetriesTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly AckRetryOptions Options = new()
    {
        FirstDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(4),
        GiveUpAfter = TimeSpan.FromSeconds(20),
        MaxMessages = 3,
    };

    private readonly ManualTimeProvider _clock = new();
    private readonly List<(Guid Uaid, int Count, TimeSpan At)> _attempts = [];
    private int _failuresLeft;
    private AckRetries? _retries;

    private AckRetries Retries => _retries ??= new AckRetries(SendAsync, Options, _clock, NullLogger.Instance);

    public void Dispose() => _retries?.Dispose();

    [Fact]
    public async Task Add_StoreBackAfterTwoFailures_AppliedOnTheThirdAttemptWithDoublingPauses()
    {
        _failuresLeft = 2;
        var uaid = Guid.NewGuid();

        Retries.Add(uaid, Acks(2));
        await AdvanceUntilAsync(() => Attempts().Count == 3, "three attempts");

        Assert.Equal([1, 3, 7], Attempts().Select(a => a.At.TotalSeconds));
        Assert.All(Attempts(), a => Assert.Equal((uaid, 2), (a.Uaid, a.Count)));
        await Eventually.WaitAsync(() => Retries.Count == 0 && _clock.ActiveTimers == 0, Wait, "the retries to end");
    }

    [Fact]
    public async Task Add_StoreNeverBack_DroppedAfterGiveUpAfter()
    {
        _failuresLeft = int.MaxValue;

        Retries.Add(Guid.NewGuid(), Acks(1));
        await AdvanceUntilAsync(() => Retries.Count == 0, "the acks to be given up");

        // Pauses 1, 2, 4, 4, 4, 4, 4 s: the attempt at 23 s is the first past 20 s, and the last.
        Assert.Equal(23, Attempts()[^1].At.TotalSeconds);
        var attempts = Attempts().Count;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(attempts, Attempts().Count);
    }

    [Fact]
    public async Task Add_BeyondMaxMessages_TheNewAcksAreDropped()
    {
        var (first, dropped, fits) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        Retries.Add(first, Acks(2));
        Retries.Add(dropped, Acks(2));
        Retries.Add(fits, Acks(1));

        Assert.Equal(3, Retries.Count);
        await AdvanceUntilAsync(() => Retries.Count == 0, "the kept acks to be applied");
        Assert.Equal([(first, 2), (fits, 1)], Attempts().Select(a => (a.Uaid, a.Count)));
    }

    private Task SendAsync(Guid uaid, IReadOnlyList<AckedMessage> acked)
    {
        lock (_attempts)
        {
            _attempts.Add((uaid, acked.Count, TimeSpan.FromTicks(_clock.GetTimestamp())));
            return _failuresLeft-- > 0 ? Task.FromException(new TimeoutException("store down")) : Task.CompletedTask;
        }
    }

    private List<(Guid Uaid, int Count, TimeSpan At)> Attempts()
    {
        lock (_attempts)
        {
            return [.. _attempts];
        }
    }

    /// <summary>Moves the clock a second at a time, whenever the retry loop waits on its timer, until <paramref name="done"/>.</summary>
    private Task AdvanceUntilAsync(Func<bool> done, string what) =>
        Eventually.WaitAsync(
            () =>
            {
                if (!done() && _clock.ActiveTimers > 0)
                {
                    _clock.Advance(TimeSpan.FromSeconds(1));
                }

                return done();
            },
            Wait,
            what);

    private static AckedMessage[] Acks(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AckedMessage(new MessageRef(Guid.NewGuid(), null, i), "v" + i))];
}
