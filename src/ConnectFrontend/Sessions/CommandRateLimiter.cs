namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// A token bucket for one connection's register and unregister commands, each of which costs the store
/// and the grains: <c>burst</c> at once, then <c>perMinute</c> a minute. No timer: tokens are counted
/// from the time that passed when a command arrives.
/// </summary>
internal sealed class CommandRateLimiter(int perMinute, int burst, TimeProvider time)
{
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token; false when the connection has used up its commands.</summary>
    public bool TryTake()
    {
        if (perMinute == 0)
        {
            return true;
        }

        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalMinutes * perMinute));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
