using System.Diagnostics.Metrics;

namespace Push.ConnectFrontend.Metrics;

/// <summary>What the connect frontend counts. No UAID, token or channel ever becomes a label.</summary>
public sealed class ConnectMetrics
{
    public const string MeterName = "Push.Connect";
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _hellos;
    private readonly Counter<long> _registers;
    private readonly Counter<long> _unregisters;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _closes;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _latency;

    public ConnectMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("push.connections", description: "Open WebSocket connections");
        _hellos = meter.CreateCounter<long>("push.hellos", description: "Hellos, by kind: new, existing or reassigned");
        _registers = meter.CreateCounter<long>("push.registers", description: "Channels registered");
        _unregisters = meter.CreateCounter<long>("push.unregisters", description: "Channels unregistered");
        _delivered = meter.CreateCounter<long>("push.notifications.delivered", description: "Notifications sent to clients, by source: live or stored");
        _acked = meter.CreateCounter<long>("push.notifications.acked", description: "Notifications acknowledged by clients");
        _closes = meter.CreateCounter<long>("push.connections.closed", description: "Connections closed, by reason");
        _refused = meter.CreateCounter<long>("push.connections.refused", description: "Connections refused because actix_max_connections were open");
        _latency = meter.CreateHistogram<double>("push.delivery.latency", unit: "ms", description: "From the push request to the send to the client",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 30000] });
    }

    public void Opened() => _connections.Add(1);

    public void ConnectionRefused() => _refused.Add(1);

    public void Closed(string reason)
    {
        _connections.Add(-1);
        _closes.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Hello(string kind) => _hellos.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Registered() => _registers.Add(1);

    public void Unregistered() => _unregisters.Add(1);

    /// <param name="sortKey">The message's receipt time in microseconds since the epoch.</param>
    public void Delivered(bool live, long sortKey)
    {
        _delivered.Add(1, new KeyValuePair<string, object?>("source", live ? "live" : "stored"));
        var now = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        _latency.Record(Math.Max(0, now - sortKey) / 1000.0, new KeyValuePair<string, object?>("source", live ? "live" : "stored"));
    }

    public void Acked(int count) => _acked.Add(count);
}
