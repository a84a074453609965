using Push.ConnectFrontend.WebSockets;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// What reaches a session from outside its loop: messages the grain pushed (at most <c>capacity</c>
/// queued) and signals. Each wakes the loop from its wait for the client's next frame, so the session
/// needs no second loop and no queue of its own for the client's frames. It also hears from the
/// session's <see cref="KeepAlive"/>.
/// </summary>
internal sealed class SessionInbox(PushWebSocket socket, int capacity) : IKeepAliveTarget
{
    private readonly Queue<Notification> _deliveries = new();
    private int _signals;

    /// <summary>Queues a message; false when the queue is full (the message is stored: raise <see cref="SessionSignals.MissedDelivery"/>).</summary>
    public bool TryPost(Notification notification)
    {
        lock (_deliveries)
        {
            if (_deliveries.Count >= capacity)
            {
                return false;
            }

            _deliveries.Enqueue(notification);
        }

        socket.Wake();
        return true;
    }

    /// <summary>Raises a signal; the loop sees it even when the queue is full.</summary>
    public void Raise(SessionSignals signal)
    {
        Interlocked.Or(ref _signals, (int)signal);
        socket.Wake();
    }

    public void OnTick() => Raise(SessionSignals.Tick);

    /// <summary>The loop is stuck in that send: only dropping the connection frees it.</summary>
    public void OnSendOverdue() => socket.Abort();

    public SessionSignals TakeSignals() => (SessionSignals)Interlocked.Exchange(ref _signals, 0);

    /// <summary>The next queued message, oldest first (the loop only).</summary>
    public bool TryTake(out Notification notification)
    {
        lock (_deliveries)
        {
            return _deliveries.TryDequeue(out notification!);
        }
    }
}
