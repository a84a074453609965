using Push.Grains.Messages;

namespace Push.Grains.Keys;

/// <summary>
/// Keeps the latest key report of each frontend in memory; reports older than three report periods
/// belong to processes that are gone. Losing it with its silo costs one report period.
/// </summary>
internal sealed class KeyRegistryGrain(TimeProvider time) : Grain, IKeyRegistryGrain
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(3);
    private readonly Dictionary<string, KeyReport> _reports = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<KeyReport>> ReportAsync(KeyReport report)
    {
        _reports[report.ProcessId] = report;
        var cutoff = time.GetUtcNow() - Stale;
        foreach (var gone in _reports.Values.Where(r => r.ReportedAt < cutoff).Select(r => r.ProcessId).ToList())
        {
            _reports.Remove(gone);
        }

        return Task.FromResult<IReadOnlyList<KeyReport>>([.. _reports.Values]);
    }
}
