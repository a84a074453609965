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
    public bool AnsweredWithin(TimeSpan span) => SinceLastAnswer() <= span;

    /// <summary>
    /// Waits for <paramref name="operation"/> as long as the store keeps answering: a
    /// <see cref="TimeoutException"/> once it has been silent for <paramref name="silence"/> (and the
    /// operation has waited that long), or after <paramref name="limit"/> in all.
    /// </summary>
    public async Task<T> WaitAsync<T>(Task<T> operation, TimeSpan silence, TimeSpan limit)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var waited = time.GetElapsedTime(started);
            var quiet = SinceLastAnswer();
            // Due when both this operation and the store's silence have lasted `silence`.
            var wait = Min(limit - waited, Max(silence - waited, silence - quiet));
            if (wait <= TimeSpan.Zero)
            {
                return operation.IsCompleted ? await operation : throw new TimeoutException($"The store has not answered for {silence.TotalMilliseconds:0} ms");
            }

            try
            {
                return await operation.WaitAsync(wait, time);
            }
            catch (TimeoutException)
            {
                // Looked at again: others' commands may have been answered meanwhile.
            }
        }
    }

    private TimeSpan SinceLastAnswer()
    {
        var last = Volatile.Read(ref _last);
        return last == long.MinValue ? TimeSpan.MaxValue : time.GetElapsedTime(last);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
