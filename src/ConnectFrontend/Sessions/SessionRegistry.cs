namespace Push.ConnectFrontend.Sessions;

/// <summary>Counts the live sessions of this frontend (reported on the health routes).</summary>
public sealed class SessionRegistry
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Opened() => Interlocked.Increment(ref _count);

    internal void Closed() => Interlocked.Decrement(ref _count);
}
