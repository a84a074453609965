using System.Text.Json;
using System.Text.RegularExpressions;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The Grafana dashboard queries series Push really exports.</summary>
public sealed class GrafanaTests
{
    [Fact]
    public void Queries_NameOnlyPushSeriesThatItsMetersExport()
    {
        var queried = Series().Where(s => s.StartsWith("push_", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(queried);
        Assert.DoesNotContain(queried, s => !PrometheusNames.Push.Contains(s));
    }

    [Fact]
    public void Queries_CoverEveryPushSeries()
    {
        var queried = Series().ToHashSet(StringComparer.Ordinal);

        // Each instrument shows up at least once (for histograms, the bucket series).
        Assert.DoesNotContain(PrometheusNames.Push, s => !s.EndsWith("_sum", StringComparison.Ordinal) && !s.EndsWith("_count", StringComparison.Ordinal) && !queried.Contains(s));
    }

    [Fact]
    public void Check_MisspelledSeries_IsNotAPushSeries()
    {
        Assert.DoesNotContain("push_notification_received_total", PrometheusNames.Push);
        Assert.Contains("push_notifications_received_total", PrometheusNames.Push);
    }

    private static IEnumerable<string> Series()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoFiles.Deploy, "grafana", "push-dashboard.json")));
        return document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => Regex.Matches(t.GetProperty("expr").GetString()!, "(?:push|orleans)_[a-z_]+").Select(m => m.Value))
            .Distinct()
            .ToList();
    }
}
