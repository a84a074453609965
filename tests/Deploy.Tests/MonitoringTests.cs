using System.Text.RegularExpressions;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The Prometheus Operator's objects: what is scraped, and alerts on series Push really exports.</summary>
public sealed class MonitoringTests
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

        Assert.Contains("app.kubernetes.io/component", monitor.Tree.At("spec").List("podTargetLabels"));
    }

    [Fact]
    public void PrometheusRule_AlertsOnSeriesPushExports()
    {
        var rules = Rules().ToList();

        Assert.Equal(Alerts.Order(), rules.Select(r => r.Text("alert")).Order());
        foreach (var rule in rules)
        {
            var expr = rule.Text("expr")!;
            var series = Regex.Matches(expr, "push_[a-z_]+").Select(m => m.Value).ToList();
            Assert.DoesNotContain(series, s => !PrometheusNames.Push.Contains(s));
            Assert.True(series.Count > 0 || expr.Contains("up{component=\"silo\"}", StringComparison.Ordinal), $"{rule.Text("alert")}: names no series Push exports");
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
    public void Check_MisspelledSeriesInAnAlert_IsNotAPushSeries()
    {
        Assert.DoesNotContain("push_error_total", PrometheusNames.Push);
        Assert.Contains("push_errors_total", PrometheusNames.Push);
    }

    private static IEnumerable<Dictionary<string, object?>> Rules() =>
        KubernetesTests.Render("overlays/production").Single(o => o.Kind == "PrometheusRule").Tree.At("spec").Maps("groups").SelectMany(g => g.Maps("rules"));
}
