using Push.Grains.Storage;
using Push.Testing;

namespace Push.Grains.Tests.Storage;

public sealed class StoreAnswersTests
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _time = new();
    private readonly StoreAnswers _answers;

    public StoreAnswersTests() => _answers = new StoreAnswers(_time);

    [Fact]
    public void AnsweredWithin_NeverAnswered_False()
    {
        Assert.False(_answers.AnsweredWithin(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void AnsweredWithin_AnswerOlderThanSpan_False()
    {
        _answers.Answered();
        _time.Advance(TimeSpan.FromMilliseconds(501));

        Assert.True(_answers.AnsweredWithin(TimeSpan.FromMilliseconds(501)));
        Assert.False(_answers.AnsweredWithin(Silence));
    }

    [Fact]
    public async Task WaitAsync_AnsweredInTime_Result()
    {
        var wait = _answers.WaitAsync(Task.FromResult(7), Silence, Limit);

        Assert.Equal(7, await wait);
    }

    [Fact]
    public async Task WaitAsync_StoreSilent_TimesOutAfterSilence()
    {
        var save = new TaskCompletionSource<int>();
        var wait = _answers.WaitAsync(save.Task, Silence, Limit);

        _time.Advance(Silence - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
    }

    [Fact]
    public async Task WaitAsync_AnsweredJustBeforeTheSaveThenSilent_TimesOutAfterSilence()
    {
        _answers.Answered();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var wait = _answers.WaitAsync(new TaskCompletionSource<int>().Task, Silence, Limit);

        _time.Advance(Silence - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
    }

    [Fact]
    public async Task WaitAsync_StoreBusyButAnswering_WaitsPastSilenceForTheResult()
    {
        var save = new TaskCompletionSource<int>();
        var wait = _answers.WaitAsync(save.Task, Silence, Limit);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            _answers.Answered();
        }

        Assert.False(wait.IsCompleted);
        save.SetResult(3);
        Assert.Equal(3, await wait);
    }

    [Fact]
    public async Task WaitAsync_BusyStoreNeverAnswersThisOne_TimesOutAtLimit()
    {
        var save = new TaskCompletionSource<int>();
        var wait = _answers.WaitAsync(save.Task, Silence, Limit);

        while (_time.GetElapsedTime(0) < Limit - TimeSpan.FromMilliseconds(100))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            _answers.Answered();
        }

        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _answers.Answered();

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
    }

    [Fact]
    public async Task WaitAsync_StoreFallsSilentWhileWaiting_TimesOutASilenceAfterTheLastAnswer()
    {
        var save = new TaskCompletionSource<int>();
        var wait = _answers.WaitAsync(save.Task, Silence, Limit);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        _answers.Answered();

        // At 500 ms the store answered 100 ms ago: it is given until 500 ms after that answer.
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => wait);
    }
}
