namespace Push.EndpointFrontend.Health;

/// <summary>Push requests this process has handled (reported as <c>request_count</c>).</summary>
public sealed class RequestCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}
