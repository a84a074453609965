namespace Push.Grains.Messages;

/// <summary>One frontend's crypto key fingerprints (never the keys), in order.</summary>
[GenerateSerializer, Immutable, Alias("Push.KeyReport")]
public sealed record KeyReport(
    [property: Id(0)] string ProcessId,
    [property: Id(1)] string Role,
    [property: Id(2)] IReadOnlyList<string> Fingerprints,
    [property: Id(3)] DateTimeOffset ReportedAt)
{
    public const string ConnectRole = "connect";
    public const string EndpointRole = "endpoint";

    /// <summary>
    /// What is wrong with the keys across the cluster, or null: the first key of every connect frontend
    /// (the one that makes endpoints) must be among the keys of every endpoint frontend.
    /// </summary>
    public static string? FindMismatch(IEnumerable<KeyReport> reports)
    {
        var all = reports.ToList();
        foreach (var connect in all.Where(r => r.Role == ConnectRole && r.Fingerprints.Count > 0))
        {
            foreach (var endpoint in all.Where(r => r.Role == EndpointRole))
            {
                if (!endpoint.Fingerprints.Contains(connect.Fingerprints[0]))
                {
                    return $"the connect frontend {connect.ProcessId} makes endpoints with key {connect.Fingerprints[0]}, "
                        + $"which the endpoint frontend {endpoint.ProcessId} does not have (it has {string.Join(", ", endpoint.Fingerprints)}): "
                        + "give crypto_key and crypto_keys the same keys";
                }
            }
        }

        return null;
    }
}
