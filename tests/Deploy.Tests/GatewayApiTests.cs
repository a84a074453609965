using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The HTTPRoutes beside the Ingress, and the Ingress changed only by the overlay's patch.</summary>
public sealed class GatewayApiTests
{
    [Fact]
    public void HttpRoutes_ReachTheServicesTheIngressReaches()
    {
        var services = KubernetesTests.Render("base").Where(o => o.Kind == "Service").ToList();
        var routes = Routes();

        foreach (var backend in routes.SelectMany(r => r.Tree.At("spec").Maps("rules")).SelectMany(r => r.Maps("backendRefs")))
        {
            var service = services.SingleOrDefault(s => s.Name == backend.Text("name"));
            Assert.NotNull(service);
            Assert.Contains(backend.Text("port"), service.Tree.At("spec").Maps("ports").Select(p => p.Text("port")));
        }

        Assert.Equal(["push-connect", "push-endpoint"], routes.SelectMany(r => r.Tree.At("spec").Maps("rules")).SelectMany(r => r.Maps("backendRefs")).Select(b => b.Text("name")).Order());
    }

    [Fact]
    public void HttpRoute_OfTheWebSocket_NeverTimesOutAnOpenConnection()
    {
        var connect = Routes().Single(r => r.Name == "push-connect").Tree.At("spec").Maps("rules").Single().Map("timeouts");

        // A request timeout would end every WebSocket when it runs out, however busy.
        Assert.Equal("0s", connect.Text("request"));
        Assert.Equal("0s", connect.Text("backendRequest"));
    }

    [Fact]
    public void HttpRoute_OfThePushApi_WaitsLongerThanPushTakesToAnswer()
    {
        var timeout = Routes().Single(r => r.Name == "push-endpoint").Tree.At("spec").Maps("rules").Single().Map("timeouts").Text("request")!;

        Assert.EndsWith("s", timeout, StringComparison.Ordinal);
        // Push answers a push once stored; its store calls give up after 5 s (RedisDsn), retried within the request.
        Assert.True(int.Parse(timeout[..^1], System.Globalization.CultureInfo.InvariantCulture) >= 15);
    }

    [Fact]
    public void Ingress_OfTheInstallation_IsAPatchInTheOverlay()
    {
        var overlay = Yaml.Load(Path.Combine(RepoFiles.ProductionOverlay, Kustomization.FileName));
        var patches = overlay.Maps("patches").Select(p => Yaml.Load(Path.Combine(RepoFiles.ProductionOverlay, p.Text("path")!))).ToList();

        Assert.Contains(patches, p => p.Text("kind") == "Ingress");
        Assert.DoesNotContain(overlay.List("resources").OfType<string>(), r => r.Contains("ingress", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(References.Problems(KubernetesTests.Render("overlays/production")));
    }

    private static List<K8sObject> Routes() => KubernetesTests.Render("gateway-api").Where(o => o.Kind == "HTTPRoute").ToList();
}
