using System.Diagnostics.Metrics;

namespace Push.Grains.Metrics;

/// <summary>What the grains count about the message queue.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Push.Grains";

    /// <summary>Bucket bounds of the queue length histogram: msg_limit defaults to 1000, and may be raised.</summary>
    private static readonly int[] QueueLengthBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    private readonly Counter<long> _stored;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _expired;
    private readonly Histogram<int> _queueLength;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("push.notifications.stored", description: "Messages written to the store");
        _evicted = meter.CreateCounter<long>("push.notifications.evicted", description: "Oldest messages dropped because a queue reached msg_limit");
        _expired = meter.CreateCounter<long>("push.notifications.expired", description: "Stored messages dropped because their TTL ran out");
        // Measured at each save from the length the save reads anyway: nothing scans the store.
        _queueLength = meter.CreateHistogram(
            "push.stored_queue.length",
            unit: null,
            description: "Messages in the recipient's stored queue right after a message was saved to it (that one included)",
            tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = QueueLengthBuckets });
    }

    /// <summary>A message was saved, leaving <paramref name="queueLength"/> messages in its user's queue.</summary>
    public void Stored(long queueLength)
    {
        _stored.Add(1);
        _queueLength.Record((int)Math.Min(queueLength, int.MaxValue));
    }

    public void Evicted(int count) => _evicted.Add(count);

    public void Expired(int count) => _expired.Add(count);
}
