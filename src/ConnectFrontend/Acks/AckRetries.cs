using Microsoft.Extensions.Logging;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Acks;

/// <summary>
/// Acks a session could not get into the store before it ended (its grain or the store was down): kept
/// for this frontend and retried with back-off, so a message the client acknowledged does not come again
/// when it reconnects. Bounded in count and age (<see cref="AckRetryOptions"/>); what is dropped only
/// means those messages are sent again, which is what the protocol does with unacknowledged ones.
/// </summary>
internal sealed partial class AckRetries(
    Func<Guid, IReadOnlyList<AckedMessage>, Task> send, AckRetryOptions options, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private List<Pending> _pending = [];
    private int _messages;
    private int _dropped;
    private bool _running;

    /// <summary>Acked messages waiting for a retry.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages;
            }
        }
    }

    public void Add(Guid uaid, IReadOnlyCollection<AckedMessage> acked)
    {
        if (acked.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_messages + acked.Count > options.MaxMessages)
            {
                _dropped += acked.Count;
                return;
            }

            _pending.Add(new Pending(uaid, [.. acked], time.GetTimestamp()));
            _messages += acked.Count;
            if (_running || _stop.IsCancellationRequested)
            {
                return;
            }

            _running = true;
        }

        _ = Task.Run(RunAsync);
    }

    /// <summary>Stops retrying (the frontend is going away); what is still pending is lost with it.</summary>
    public void Dispose() => _stop.Cancel();

    private async Task RunAsync()
    {
        var delay = options.FirstDelay;
        while (true)
        {
            try
            {
                await Task.Delay(delay, time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<Pending> round;
            lock (_lock)
            {
                round = _pending;
                _pending = [];
            }

            var failed = await RetryAsync(round);
            lock (_lock)
            {
                _pending.AddRange(failed);
                _messages = _pending.Sum(p => p.Messages.Count);
                if (_pending.Count == 0)
                {
                    _running = false;
                    return;
                }
            }

            delay = failed.Count == 0 ? options.FirstDelay : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxDelay.Ticks));
        }
    }

    /// <summary>Sends every pending user's acks at once (the batcher joins them); returns those that failed and are not too old.</summary>
    private async Task<List<Pending>> RetryAsync(List<Pending> round)
    {
        var results = await Task.WhenAll(round.Select(async pending =>
        {
            try
            {
                await send(pending.Uaid, pending.Messages).WaitAsync(options.CallTimeout, time);
                return true;
            }
            catch (Exception)
            {
                // The grain, its silo or the store is still away: next round.
                return false;
            }
        }));

        var failed = new List<Pending>();
        var applied = 0;
        var expired = 0;
        for (var i = 0; i < round.Count; i++)
        {
            if (results[i])
            {
                applied += round[i].Messages.Count;
            }
            else if (time.GetElapsedTime(round[i].Since) >= options.GiveUpAfter)
            {
                expired += round[i].Messages.Count;
            }
            else
            {
                failed.Add(round[i]);
            }
        }

        if (applied > 0)
        {
            LogApplied(applied);
        }

        int dropped;
        lock (_lock)
        {
            dropped = expired + _dropped;
            _dropped = 0;
        }

        if (dropped > 0)
        {
            LogDropped(dropped, options.GiveUpAfter.TotalSeconds, options.MaxMessages);
        }

        return failed;
    }

    private sealed record Pending(Guid Uaid, IReadOnlyList<AckedMessage> Messages, long Since);
}
