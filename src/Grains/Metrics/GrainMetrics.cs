using System.Diagnostics.Metrics;

namespace Push.Grains.Metrics;

/// <summary>What the grains count about the message queue.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Push.Grains";
    private readonly Counter<long> _stored;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _expired;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("push.notifications.stored", description: "Messages written to the store");
        _evicted = meter.CreateCounter<long>("push.notifications.evicted", description: "Oldest messages dropped because a queue reached msg_limit");
        _expired = meter.CreateCounter<long>("push.notifications.expired", description: "Stored messages dropped because their TTL ran out");
    }

    public void Stored() => _stored.Add(1);

    public void Evicted(int count) => _evicted.Add(count);

    public void Expired(int count) => _expired.Add(count);
}
