using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;
using Push.Silo.Store;

namespace Push.Deploy.Tests;

/// <summary>Pod security, the Redis password, and who may reach whom.</summary>
public sealed class KubernetesSecurityTests
{
    [Fact]
    public void EveryPod_PassesTheRestrictedPodSecurityStandard()
    {
        var objects = KubernetesTests.Render("overlays/production");

        Assert.Equal("restricted", objects.Single(o => o.Kind == "Namespace").Tree.At("metadata.labels").Strings()["pod-security.kubernetes.io/enforce"]);
        foreach (var workload in objects.Where(o => o.PodTemplate is not null))
        {
            var pod = workload.PodTemplate.At("spec.securityContext");
            Assert.True(pod.Text("runAsNonRoot") == "true", $"{workload}: runAsNonRoot");
            Assert.True(pod.At("seccompProfile").Text("type") == "RuntimeDefault", $"{workload}: seccompProfile");
            Assert.True(pod.Text("runAsUser") is null or not "0", $"{workload}: runAsUser 0");
            foreach (var container in Kustomization.Containers(workload))
            {
                var security = container.Map("securityContext");
                Assert.True(security.Text("allowPrivilegeEscalation") == "false", $"{workload}: allowPrivilegeEscalation");
                Assert.True(security.Map("capabilities").List("drop").Contains("ALL"), $"{workload}: capabilities drop ALL");
                Assert.True(security.Map("capabilities").List("add").Count == 0, $"{workload}: capabilities added");
            }
        }
    }

    [Fact]
    public void Redis_RequiresThePasswordThatPushsDsnCarries()
    {
        var objects = KubernetesTests.Render("overlays/production");
        var redis = Kustomization.Containers(objects.Single(o => o.Kind == "StatefulSet")).Single();
        var args = redis.List("args").OfType<string>().ToList();
        var passwordVariable = args[args.IndexOf("--requirepass") + 1];

        Assert.Equal("$(REDIS_PASSWORD)", passwordVariable);
        var secretRef = redis.Maps("env").Single(e => e.Text("name") == "REDIS_PASSWORD").At("valueFrom.secretKeyRef");
        Assert.NotNull(secretRef);
        var problems = new List<string>();
        foreach (var (workload, configuration) in PushContainers.Load(objects, problems))
        {
            var env = Kustomization.Containers(workload).Single().Maps("env").ToList();
            Assert.Equal(secretRef.Strings(), env.Single(e => e.Text("name") == "REDIS_PASSWORD").At("valueFrom.secretKeyRef").Strings());
            foreach (var dsn in new[] { "AUTOCONNECT__DB_DSN", "AUTOEND__DB_DSN" })
            {
                Assert.Contains(":$(REDIS_PASSWORD)@", env.Single(e => e.Text("name") == dsn).Text("value"), StringComparison.Ordinal);
            }

            // Once the kubelet has put the password in, Push reads it from its DSN.
            Assert.True(RedisDsn.TryParse(configuration.Connect.DbDsn!, out var options, out _));
            Assert.False(string.IsNullOrEmpty(options.Password), $"{workload}: no password in db_dsn");
        }

        Assert.Empty(problems);
        Assert.Empty(References.Problems(objects));
    }

    [Fact]
    public void Redis_RefusesWritesWhenFullAndHasAGoverningHeadlessService()
    {
        var objects = KubernetesTests.Render("base");
        var redis = objects.Single(o => o.Kind == "StatefulSet");
        var args = string.Join(' ', Kustomization.Containers(redis).Single().List("args").OfType<string>());
        var governing = objects.Single(o => o.Kind == "Service" && o.Name == redis.Tree.At("spec").Text("serviceName"));

        Assert.Contains("--maxmemory-policy noeviction", args, StringComparison.Ordinal);
        Assert.Contains("--maxmemory ", args, StringComparison.Ordinal);
        Assert.Equal("None", governing.Tree.At("spec").Text("clusterIP"));
    }

    [Fact]
    public void NetworkPolicies_OpenOnlyWhatEachRoleNeeds()
    {
        var objects = KubernetesTests.Render("overlays/production");
        var policies = objects.Where(o => o.Kind == "NetworkPolicy").ToList();
        var rules = NetworkRules.Of(policies);

        // Everything else is refused.
        Assert.Contains(policies, p => p.Tree.At("spec.podSelector") is { Count: 0 } && p.Tree.At("spec").List("ingress").Count == 0);
        Assert.Equal(NetworkRules.Anyone, rules[("connect", "websocket")]);
        Assert.Equal(NetworkRules.Anyone, rules[("endpoint", "http")]);
        Assert.Equal(["pods:component=silo"], rules[("silo", "silo")]);
        Assert.Equal(["pods:name=push"], rules[("silo", "gateway")]);
        Assert.Equal(["pods:name=push"], rules[("redis", "redis")]);
        foreach (var internalPort in new[] { ("connect", "router"), ("endpoint", "health"), ("silo", "health"), ("silo", "dashboard") })
        {
            Assert.Equal(["namespace:monitoring"], rules[internalPort]);
        }

        // Every named port of every pod is covered by exactly one of the rules above.
        var declared = objects.Where(o => o.PodTemplate is not null)
            .SelectMany(w => Kustomization.Containers(w).SelectMany(c => c.Maps("ports")).Select(p => (NetworkRules.Role(w.PodTemplate.At("metadata.labels").Strings()), p.Text("name")!)))
            .ToHashSet();
        Assert.Equal(declared.Order(), rules.Keys.Order());
    }
}
