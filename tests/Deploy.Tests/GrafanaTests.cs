using System.Text.Json;
using System.Text.RegularExpressions;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The Grafana dashboard queries series and labels that Push really serves, filtered by namespace, role and pod.</summary>
[Collection(ServedMetricsCollection.Name)]
public sealed partial class GrafanaTests(ServedMetrics served)
{
    private static readonly string DashboardFile = Path.Combine(RepoFiles.Deploy, "grafana", "push-dashboard.json");

    [Fact]
    public void Queries_NameOnlySeriesAndLabelsThatPushServes()
    {
        // A variable's label_values(series, label) reads the label of the series, as "group by (label) (series)" does.
        var queries = PanelQueries().Concat(VariableQueries().Select(v => LabelValues().Replace(v.Query, "group by (${label}) (${series})"))).ToList();

        Assert.NotEmpty(queries);
        Assert.Empty(queries.SelectMany(q => served.Problems(q, ScrapeLabels())));
    }

    [Fact]
    public void Queries_CoverEveryPushSeries()
    {
        var queried = PanelQueries().SelectMany(PromQl.Series).ToHashSet(StringComparer.Ordinal);

        // Each instrument shows up at least once (for histograms, the bucket series).
        Assert.DoesNotContain(PrometheusNames.Push, s => !s.EndsWith("_sum", StringComparison.Ordinal) && !s.EndsWith("_count", StringComparison.Ordinal) && !queried.Contains(s));
    }

    [Fact]
    public void Queries_OrleansSeries_AreNamesTheOrleansOfThisBuildServes()
    {
        var orleans = PanelQueries().SelectMany(PromQl.Series).Where(s => s.StartsWith("orleans_", StringComparison.Ordinal)).Distinct().ToList();
        var version = typeof(Orleans.IGrainFactory).Assembly.GetName().Version;

        Assert.True(orleans.Count >= 4, string.Join(", ", orleans));
        // Only what the silo served in the scrape counts here, not Push's own list of names.
        Assert.All(orleans, s => Assert.True(served.Samples.Any(x => x.Name == s), $"{s} is not served by Orleans {version}"));
    }

    [Fact]
    public void Panels_ShowMemoryGcAspNetCoreAndKestrel()
    {
        var queried = PanelQueries().SelectMany(PromQl.Series).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("dotnet_process_memory_working_set_bytes", queried);
        Assert.Contains("dotnet_gc_last_collection_heap_size_bytes", queried);
        Assert.Contains("dotnet_gc_collections_total", queried);
        Assert.Contains("dotnet_gc_pause_time_seconds_total", queried);
        Assert.Contains("http_server_request_duration_seconds_count", queried);
        Assert.Contains("kestrel_active_connections", queried);
        Assert.Contains("push_build_info", queried);
        Assert.Contains("push_stored_queue_length_bucket", queried);
    }

    [Fact]
    public void Variables_NamespaceRoleAndPod_FilterEveryQuery()
    {
        var variables = VariableQueries().ToDictionary(v => v.Name, v => v.Query);

        // Each is read from the label the scrape gives every series; each narrows the next.
        Assert.Equal("label_values(push_build_info, namespace)", variables["namespace"]);
        Assert.Equal("label_values(push_build_info{namespace=~\"$namespace\"}, component)", variables["role"]);
        Assert.Equal("label_values(push_build_info{namespace=~\"$namespace\", component=~\"$role\"}, pod)", variables["pod"]);
        Assert.Subset(ScrapeLabels().ToHashSet(), new HashSet<string> { "namespace", "component", "pod" });
        Assert.All(PanelQueries().SelectMany(PromQl.References), reference => Assert.True(
            reference.Selector.Contains("namespace=~\"$namespace\"", StringComparison.Ordinal)
            && reference.Selector.Contains("component=~\"$role\"", StringComparison.Ordinal)
            && reference.Selector.Contains("pod=~\"$pod\"", StringComparison.Ordinal),
            $"{reference.Series}{reference.Selector} is not filtered by $namespace, $role and $pod"));
    }

    [Fact]
    public void ConfigMap_OfTheMonitoringFolder_IsThisDashboardForGrafanasSidecar()
    {
        var configMap = KubernetesTests.Render("overlays/production").Single(o => o.Kind == "ConfigMap" && o.Name == "push-grafana-dashboard");

        Assert.Equal("1", configMap.Tree.At("metadata.labels").Text("grafana_dashboard"));
        Assert.Equal("push", configMap.Tree.At("metadata").Text("namespace"));
        Assert.Equal(File.ReadAllText(DashboardFile), configMap.Tree.Map("data").Text("push-dashboard.json"));
    }

    [Fact]
    public void Check_RenamedOrMisspelledSeries_IsReported()
    {
        Assert.NotEmpty(served.Problems("sum(orleans_catalog_activation_count)", ScrapeLabels()));
        Assert.NotEmpty(served.Problems("sum(push_notification_received_total)", ScrapeLabels()));
        Assert.NotEmpty(served.Problems("sum by (grain) (orleans_catalog_activations)", ScrapeLabels()));
        Assert.Empty(served.Problems("sum by (grain_type, pod) (orleans_catalog_activations)", ScrapeLabels()));
    }

    /// <summary>The labels the production overlay's PodMonitor gives every series.</summary>
    private static IReadOnlySet<string> ScrapeLabels() =>
        TargetLabels.Of(KubernetesTests.Render("overlays/production").Single(o => o.Kind == "PodMonitor"));

    private static IEnumerable<string> PanelQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        return document.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    private static IEnumerable<(string Name, string Query)> VariableQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        return document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => (v.GetProperty("name").GetString()!, v.GetProperty("query").GetString()!))
            .ToList();
    }

    [GeneratedRegex(@"^label_values\((?<series>.*),\s*(?<label>\w+)\)$")]
    private static partial Regex LabelValues();
}
