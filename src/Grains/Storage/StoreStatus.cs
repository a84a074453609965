using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Push.Grains.Storage;

/// <summary>
/// Whether this silo knows its store to be down, so that pushes are refused at once instead of each
/// waiting out the store's timeout. Down while the client has no connection, and from a failed
/// operation until the store answers again: any later operation, or the probe a failure starts.
/// </summary>
public sealed partial class StoreStatus : IDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreStatus> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _failed;
    private int _probing;

    public StoreStatus(IConnectionMultiplexer redis, TimeProvider time, ILogger<StoreStatus> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        // A connection that comes back has just answered its handshake: the first push after it may go.
        redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>True while the store is known not to answer.</summary>
    public bool IsDown => Volatile.Read(ref _failed) == 1 || !_redis.IsConnected;

    /// <summary>An operation got its answer.</summary>
    public void Answered()
    {
        if (Volatile.Read(ref _failed) == 1 && Interlocked.Exchange(ref _failed, 0) == 1)
        {
            LogAnswersAgain();
        }
    }

    /// <summary>An operation failed or took too long: the store counts as down until it answers again.</summary>
    public void Failed(Exception cause)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            LogDown(cause.Message);
        }

        if (Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            _ = ProbeAsync();
        }
    }

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            Answered();
        }
    }

    /// <summary>Pings until the store answers; one probe at a time per process.</summary>
    private async Task ProbeAsync()
    {
        try
        {
            var token = _stopping.Token;
            while (Volatile.Read(ref _failed) == 1)
            {
                await Task.Delay(ProbeInterval, _time, token);
                try
                {
                    await _redis.GetDatabase().PingAsync();
                    Answered();
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Still down: try again after the interval.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The process is stopping.
            return;
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }

        // A failure reported while this probe was ending must not go unprobed.
        if (Volatile.Read(ref _failed) == 1 && Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            _ = ProbeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message store does not answer ({Cause}); pushes are refused with 503 until it does")]
    private partial void LogDown(string cause);

    [LoggerMessage(Level = LogLevel.Information, Message = "The message store answers again; pushes are accepted")]
    private partial void LogAnswersAgain();
}
