namespace Push.Grains.Storage;

/// <summary>
/// When the store last answered anything. A command that waits while others are being answered is
/// queued behind a busy store, not lost to a dead one, so a wait is cut short only by silence.
/// </summary>
public sealed class StoreAnswers(TimeProvider time)
{
    private long _last = long.MinValue;

    /// <summary>An operation got its answer.</summary>
    public void Answered() => Volatile.Write(ref _last, time.GetTimestamp());

    /// <summary>True if the store answered anything within the last <paramref name="span"/>.</summary>
    public bool AnsweredWithin(TimeSpan span)
    {
        var last = Volatile.Read(ref _last);
        return last != long.MinValue && time.GetElapsedTime(last) <= span;
    }

    /// <summary>
    /// Waits for <paramref name="operation"/> as long as the store keeps answering: a
    /// <see cref="TimeoutException"/> once it has said nothing for <paramref name="silence"/>, or after
    /// <paramref name="limit"/> in all.
    /// </summary>
    public async Task<T> WaitAsync<T>(Task<T> operation, TimeSpan silence, TimeSpan limit)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var left = limit - time.GetElapsedTime(started);
            try
            {
                return await operation.WaitAsync(silence < left ? silence : left, time);
            }
            catch (TimeoutException) when (AnsweredWithin(silence) && time.GetElapsedTime(started) < limit)
            {
                // Others' commands are being answered: this one is queued, so wait another slice.
            }
        }
    }
}
