using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests;

/// <summary>The rendered Kubernetes manifests (base and overlay) against each other and against Push's code.</summary>
public sealed class KubernetesTests
{
    public static TheoryData<string> Renderings => new("base", "overlays/production");

    [Theory]
    [MemberData(nameof(Renderings))]
    public void References_InTheRenderedManifests_AllResolve(string kustomization)
    {
        Assert.Empty(References.Problems(Render(kustomization)));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void PushContainers_InTheRenderedManifests_MatchWhatPushReadsAndServes(string kustomization)
    {
        Assert.Empty(PushContainers.Problems(Render(kustomization)));
    }

    [Fact]
    public void Redis_OfTheBase_KeepsEveryWriteOnItsVolume()
    {
        var objects = Render("base");
        var redis = objects.Single(o => o.Kind == "StatefulSet");
        var container = Kustomization.Containers(redis).Single();
        var args = string.Join(' ', container.List("args").OfType<string>());

        Assert.Contains("--appendonly yes", args, StringComparison.Ordinal);
        Assert.Contains("--appendfsync always", args, StringComparison.Ordinal);
        var claim = Assert.Single(redis.Tree.At("spec").Maps("volumeClaimTemplates")).At("metadata").Text("name");
        var mount = container.Maps("volumeMounts").Single(m => m.Text("name") == claim).Text("mountPath");
        Assert.Contains($"--dir {mount}", args, StringComparison.Ordinal);

        // Push's db_dsn names this Redis through its Service.
        var problems = new List<string>();
        var dsnHosts = PushContainers.Load(objects, problems).Select(p => new Uri(p.Configuration.DbDsn!).Host).Distinct();
        Assert.Empty(problems);
        Assert.Equal([objects.Single(o => o.Kind == "Service" && o.Tree.At("spec.selector").Strings().ContainsValue("redis") && o.Tree.At("spec").Text("clusterIP") != "None").Name], dsnHosts);
    }

    [Fact]
    public void Ingress_Timeouts_OutlastAnIdleWebSocketBetweenTwoPings()
    {
        var objects = Render("overlays/production");
        var annotations = objects.Single(o => o.Kind == "Ingress").Tree.At("metadata.annotations").Strings();
        var problems = new List<string>();
        var connect = PushContainers.Load(objects, problems).Single(p => p.Configuration.Role == HostRole.Connect).Configuration.Connect;
        var idle = (connect.AutoPingInterval + connect.AutoPingTimeout).TotalSeconds;

        Assert.Empty(problems);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], System.Globalization.CultureInfo.InvariantCulture) > idle);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"], System.Globalization.CultureInfo.InvariantCulture) > idle);
    }

    [Theory]
    [InlineData("10.244.1.7", true)]
    [InlineData("203.0.113.7", false)]
    public void PushContainers_TrustForwardedHeadersFromThePodNetworkOnly(string address, bool trusted)
    {
        var problems = new List<string>();
        var processes = PushContainers.Load(Render("overlays/production"), problems);

        Assert.Empty(problems);
        Assert.All(processes, p => Assert.Equal(trusted, p.Configuration.Silo.TrustedProxies.Any(n => n.Contains(System.Net.IPAddress.Parse(address)))));
    }

    [Fact]
    public void Check_MisspelledVariable_IsReported()
    {
        var objects = Render("overlays/production");
        objects.Single(o => o.Kind == "ConfigMap" && o.Name == "push-config").Tree.Map("data")!["AUTOCONNECT__ENDPIONT_HOSTNAME"] = "push-api.example.com";

        Assert.Contains(PushContainers.Problems(objects), p => p.Contains("AUTOCONNECT__ENDPIONT_HOSTNAME", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ProbeOnThePublicPort_IsReported()
    {
        var objects = Render("overlays/production");
        var connect = Kustomization.Containers(objects.Single(o => o.Name == "push-connect" && o.Kind == "Deployment")).Single();
        connect.Map("readinessProbe").Map("httpGet")!["port"] = "websocket";

        Assert.Contains(PushContainers.Problems(objects), p => p.Contains("readinessProbe", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ServiceSelectingNoPods_IsReported()
    {
        var objects = Render("base");
        objects.Single(o => o.Kind == "Service" && o.Name == "push-endpoint").Tree.At("spec.selector")!["app.kubernetes.io/component"] = "endpoints";

        Assert.Contains(References.Problems(objects), p => p.Contains("push-endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NoPublicUrlOfThePushApi_IsReported()
    {
        var objects = Render("overlays/production");
        var data = objects.Single(o => o.Kind == "ConfigMap" && o.Name == "push-config").Tree.Map("data")!;
        foreach (var name in new[] { "AUTOEND__ENDPOINT_URL", "AUTOCONNECT__ENDPOINT_SCHEME", "AUTOCONNECT__ENDPOINT_HOSTNAME", "AUTOCONNECT__ENDPOINT_PORT" })
        {
            data.Remove(name);
        }

        Assert.Contains(PushContainers.Problems(objects), p => p.Contains("AUTOEND__ENDPOINT_URL", StringComparison.Ordinal));
    }

    internal static List<K8sObject> Render(string kustomization) =>
        Kustomization.Render(Path.Combine(RepoFiles.Deploy, "k8s", kustomization));
}
