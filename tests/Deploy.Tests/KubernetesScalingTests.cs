using System.Globalization;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests;

/// <summary>How the workloads scale and survive disruption: autoscalers, budgets, spreading, connection caps.</summary>
public sealed class KubernetesScalingTests
{
    public static TheoryData<string> Renderings => KubernetesTests.Renderings;

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Autoscaled_Deployments_HaveNoReplicasOfTheirOwn(string kustomization)
    {
        var objects = KubernetesTests.Render(kustomization);
        var scaled = objects.Where(o => o.Kind == "HorizontalPodAutoscaler").Select(h => h.Tree.At("spec.scaleTargetRef").Text("name")).ToList();

        Assert.Contains("push-silo", scaled);
        Assert.Contains("push-connect", scaled);
        // A replicas field would set the count back at every apply, fighting the autoscaler.
        Assert.All(objects.Where(o => o.Kind == "Deployment" && scaled.Contains(o.Name)), d => Assert.Null(d.Tree.At("spec").Text("replicas")));
    }

    [Fact]
    public void DisruptionBudgets_CoverEveryPushRole()
    {
        var objects = KubernetesTests.Render("base");
        var covered = objects.Where(o => o.Kind == "PodDisruptionBudget").Select(p => p.Tree.At("spec.selector.matchLabels").Strings().GetValueOrDefault("app.kubernetes.io/component")).ToList();

        Assert.Equal(["connect", "endpoint", "silo"], covered.Order());
    }

    [Fact]
    public void PushPods_SpreadOverNodesAndZones()
    {
        foreach (var workload in KubernetesTests.Render("base").Where(o => o.Kind == "Deployment"))
        {
            var spread = workload.PodTemplate.At("spec").Maps("topologySpreadConstraints").ToList();
            var own = workload.PodTemplate.At("metadata.labels").Strings();

            Assert.Equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"], spread.Select(c => c.Text("topologyKey")).Order());
            // Each constraint counts this workload's own pods, not every Push pod.
            Assert.All(spread, c => Assert.Equal(own, c.At("labelSelector.matchLabels").Strings()));
        }
    }

    [Fact]
    public void ConnectPods_RefuseUpgradesBeforeTheirMemoryLimit()
    {
        var objects = KubernetesTests.Render("overlays/production");
        var problems = new List<string>();
        var connect = PushContainers.Load(objects, problems).Single(p => p.Configuration.Role == HostRole.Connect);
        var container = Kustomization.Containers(connect.Workload).Single();
        var limit = Quantity(container.At("resources.limits").Text("memory")!);

        Assert.Empty(problems);
        var max = Assert.NotNull(connect.Configuration.Connect.MaxConnections);
        // About 40 KiB a connection measured (docs/benchmarks.md); 64 KiB counted, and 256 MiB for the runtime.
        Assert.True(max * 64L * 1024 + 256L * 1024 * 1024 <= limit, $"{max} connections do not fit in {limit} bytes");
        Assert.True(max * 64L * 1024 + 256L * 1024 * 1024 > limit * 0.9, $"{max} connections leave most of {limit} bytes unused");
    }

    /// <summary>A Kubernetes memory quantity (Mi, Gi) in bytes.</summary>
    private static long Quantity(string text) => text switch
    {
        _ when text.EndsWith("Gi", StringComparison.Ordinal) => long.Parse(text[..^2], CultureInfo.InvariantCulture) << 30,
        _ when text.EndsWith("Mi", StringComparison.Ordinal) => long.Parse(text[..^2], CultureInfo.InvariantCulture) << 20,
        _ => long.Parse(text, CultureInfo.InvariantCulture),
    };
}
