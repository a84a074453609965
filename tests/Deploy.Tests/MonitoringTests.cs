using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The Prometheus Operator's objects: what is scraped, and alerts on series and labels Push really serves.</summary>
[Collection(ServedMetricsCollection.Name)]
public sealed class MonitoringTests(ServedMetrics served)
{
    private static readonly string[] Alerts = ["PushStoreErrors", "PushServerErrors", "PushRequestsRefused", "PushConnectionsRefused", "PushDeliveryLatencyHigh", "PushSilosBelowMinimum"];

    [Fact]
    public void PodMonitor_ScrapesTheMetricsPortOfEveryPushRole()
    {
        var objects = KubernetesTests.Render("overlays/production");
        var monitor = objects.Single(o => o.Kind == "PodMonitor");
        var ports = monitor.Tree.At("spec").Maps("podMetricsEndpoints").Select(e => (e.Text("port"), e.Text("path"))).ToList();

        foreach (var workload in objects.Where(o => o.PodTemplate is not null && o.PodTemplate.At("metadata.labels").Strings().GetValueOrDefault("app.kubernetes.io/name") == "push"))
        {
            var annotations = workload.PodTemplate.At("metadata.annotations").Strings();
            var metricsPort = Kustomization.Containers(workload).Single().Maps("ports").Single(p => p.Text("containerPort") == annotations["prometheus.io/port"]).Text("name");
            Assert.Contains((metricsPort, annotations["prometheus.io/path"]), ports);
        }

        // The role, as the label "component" the alerts and the dashboard filter on.
        Assert.All(monitor.Tree.At("spec").Maps("podMetricsEndpoints"), e => Assert.Contains(e.Maps("relabelings"), r =>
            r.List("sourceLabels").SequenceEqual(["__meta_kubernetes_pod_label_app_kubernetes_io_component"]) && r.Text("targetLabel") == "component" && r.Text("action") is null or "replace"));
        Assert.Contains("component", TargetLabels.Of(monitor));
    }

    [Fact]
    public void PrometheusRule_AlertsOnSeriesPushExports()
    {
        var rules = Rules().ToList();

        Assert.Equal(Alerts.Order(), rules.Select(r => r.Text("alert")).Order());
        var scrapeLabels = TargetLabels.Of(KubernetesTests.Render("overlays/production").Single(o => o.Kind == "PodMonitor"));
        foreach (var rule in rules)
        {
            var expr = rule.Text("expr")!;
            Assert.NotEmpty(PromQl.Series(expr));
            Assert.Empty(served.Problems(expr, scrapeLabels));
            Assert.NotNull(rule.Map("labels").Text("severity"));
            Assert.NotNull(rule.Map("annotations").Text("summary"));
            Assert.NotNull(rule.Text("for"));
        }
    }

    [Fact]
    public void PrometheusRule_SiloMinimum_IsTheAutoscalersMinimum()
    {
        var objects = KubernetesTests.Render("overlays/production");
        var minimum = objects.Single(o => o.Kind == "HorizontalPodAutoscaler" && o.Name == "push-silo").Tree.At("spec").Text("minReplicas");
        var expr = Rules().Single(r => r.Text("alert") == "PushSilosBelowMinimum").Text("expr")!;

        Assert.EndsWith($"< {minimum}", expr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MisspelledSeriesOrALabelTheScrapeLacks_IsReported()
    {
        var scrapeLabels = TargetLabels.Of(KubernetesTests.Render("overlays/production").Single(o => o.Kind == "PodMonitor"));

        Assert.NotEmpty(served.Problems("sum(rate(push_error_total[5m])) > 0", scrapeLabels));
        // What podTargetLabels alone gives: the pod label's name with underscores, not "component".
        Assert.NotEmpty(served.Problems("count(up{component=\"silo\"})", new HashSet<string> { TargetLabels.Sanitize("app.kubernetes.io/component") }));
        Assert.Empty(served.Problems("count(up{component=\"silo\"})", scrapeLabels));
    }

    private static IEnumerable<Dictionary<string, object?>> Rules() =>
        KubernetesTests.Render("overlays/production").Single(o => o.Kind == "PrometheusRule").Tree.At("spec").Maps("groups").SelectMany(g => g.Maps("rules"));
}
