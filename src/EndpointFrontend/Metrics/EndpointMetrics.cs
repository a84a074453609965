using System.Diagnostics.Metrics;

namespace Push.EndpointFrontend.Metrics;

/// <summary>What the endpoint frontend counts. No token or endpoint ever becomes a label.</summary>
public sealed class EndpointMetrics
{
    public const string MeterName = "Push.Endpoint";
    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _errors;

    public EndpointMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("push.notifications.received", description: "Push requests received");
        _accepted = meter.CreateCounter<long>("push.notifications.accepted", description: "Push requests answered 201");
        _errors = meter.CreateCounter<long>("push.errors", description: "Error answers, by status and errno");
    }

    public void Received() => _received.Add(1);

    public void Accepted() => _accepted.Add(1);

    public void Error(int status, int? errno) => _errors.Add(1,
        new KeyValuePair<string, object?>("status", status),
        new KeyValuePair<string, object?>("errno", errno?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
}
