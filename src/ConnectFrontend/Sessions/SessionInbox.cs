using System.Threading.Channels;

namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// The one queue a session's loop reads: client frames, deliveries and signals. Bounded by count, and the
/// client's frames also by bytes: the reader waits (and so stops reading the socket) while the frames
/// queued and not yet handled hold <c>maxQueuedFrameBytes</c> or more.
/// </summary>
internal sealed class SessionInbox
{
    private readonly Channel<SessionEvent> _events;
    private readonly int _maxQueuedFrameBytes;
    private int _signals;
    private long _queuedFrameBytes;
    private TaskCompletionSource? _room;

    public SessionInbox(int capacity, int maxQueuedFrameBytes)
    {
        _maxQueuedFrameBytes = maxQueuedFrameBytes;
        _events = Channel.CreateBounded<SessionEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<SessionEvent> Reader => _events.Reader;

    /// <summary>Bytes of client frames queued and not yet handled.</summary>
    public long QueuedFrameBytes => Interlocked.Read(ref _queuedFrameBytes);

    public bool TryPost(SessionEvent next) => _events.Writer.TryWrite(next);

    /// <summary>Raises a signal; the loop sees it even when the queue is full.</summary>
    public void Raise(SessionSignals signal)
    {
        Interlocked.Or(ref _signals, (int)signal);
        _ = _events.Writer.TryWrite(SignalRaised.Instance);
    }

    public SessionSignals TakeSignals() => (SessionSignals)Interlocked.Exchange(ref _signals, 0);

    /// <summary>Queues a frame or the end of the socket (the receive loop only).</summary>
    public async ValueTask PostAsync(SessionEvent next, CancellationToken cancellationToken)
    {
        if (next is FrameReceived frame)
        {
            Interlocked.Add(ref _queuedFrameBytes, frame.Length);
        }

        await _events.Writer.WriteAsync(next, cancellationToken);
    }

    /// <summary>Waits until the queued frames leave room for another (the receive loop only).</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (QueuedFrameBytes >= _maxQueuedFrameBytes)
        {
            var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _room, room);
            if (QueuedFrameBytes < _maxQueuedFrameBytes)
            {
                return;
            }

            await room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The loop is done with a frame (the loop only).</summary>
    public void Handled(FrameReceived frame)
    {
        if (Interlocked.Add(ref _queuedFrameBytes, -frame.Length) < _maxQueuedFrameBytes)
        {
            Interlocked.Exchange(ref _room, null)?.TrySetResult();
        }
    }

    public void Complete() => _events.Writer.TryComplete();
}
