using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Push.Deploy.Tests.Manifests;
using Push.Shared;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// Every container that runs the Push image, checked against the code: the variables it is given
/// are ones Push reads, its settings load, it declares exactly the ports the process listens on,
/// its probes and scrape annotations name real routes on an internal port, and it gets time to stop.
/// </summary>
internal static class PushContainers
{
    // One value per placeholder for the whole deployment, as the operator fills in one file.
    private static readonly string Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static bool IsPush(string? image) =>
        Kustomization.ImageName(image) is { } name && (name == DockerImage.Title || name.EndsWith("/" + DockerImage.Title, StringComparison.Ordinal));

    public static List<(K8sObject Workload, PushConfiguration Configuration)> Load(IReadOnlyList<K8sObject> objects, List<string> problems)
    {
        var loaded = new List<(K8sObject, PushConfiguration)>();
        foreach (var workload in objects.Where(o => o.PodTemplate is not null))
        {
            foreach (var container in Kustomization.Containers(workload).Where(c => IsPush(c.Text("image"))))
            {
                var environment = Environment(objects, container);
                foreach (var name in PushEnvironment.Unknown(environment.Keys.Except(Referenced(container))))
                {
                    problems.Add($"{workload}: {name} is not a variable Push reads");
                }

                var args = container.List("args").OfType<string>().ToList();
                var (configuration, error) = PushEnvironment.Load(args, environment);
                if (configuration is null)
                {
                    problems.Add($"{workload}: Push would not start: {error}");
                    continue;
                }

                CheckPorts(workload, container, configuration, problems);
                loaded.Add((workload, configuration));
            }
        }

        return loaded;
    }

    public static List<string> Problems(IReadOnlyList<K8sObject> objects)
    {
        var problems = new List<string>();
        var processes = Load(objects, problems);
        if (processes.Count == 0)
        {
            problems.Add("no container runs the Push image");
        }

        problems.AddRange(Agreement.Problems(processes.Select(p => (p.Workload.ToString(), p.Configuration)).ToList()));
        return problems;
    }

    /// <summary>ConfigMaps and Secrets named in <c>envFrom</c>, then <c>env</c> (which wins), as the kubelet builds it.</summary>
    private static Dictionary<string, string> Environment(IReadOnlyList<K8sObject> objects, Dictionary<string, object?> container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container.Maps("envFrom"))
        {
            var source = from.Map("configMapRef") is { } cm
                ? objects.FirstOrDefault(o => o.Kind == "ConfigMap" && o.Name == cm.Text("name"))?.Tree.Map("data")
                : objects.FirstOrDefault(o => o.Kind == "Secret" && o.Name == from.Map("secretRef").Text("name"))?.Tree.Map("stringData");
            foreach (var (key, value) in source.Strings())
            {
                environment[key] = value;
            }
        }

        foreach (var variable in container.Maps("env"))
        {
            environment[variable.Text("name")!] = variable.Text("value") is { } value
                ? Expand(value, environment)
                : variable.At("valueFrom.secretKeyRef") is { } key
                    ? SecretValue(objects, key.Text("name"), key.Text("key"))
                    // Values from the downward API exist only in a running pod; an address stands in for them.
                    : "10.0.0.10";
        }

        return environment;
    }

    /// <summary>The kubelet's <c>$(NAME)</c> expansion: a variable defined before this one is put in; others stay as written.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined) =>
        Regex.Replace(value, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", m => defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    /// <summary>Variables that other <c>env</c> values name as <c>$(NAME)</c>: helpers for the kubelet, not settings for Push.</summary>
    private static IEnumerable<string> Referenced(Dictionary<string, object?> container) =>
        container.Maps("env").Select(e => e.Text("value")).OfType<string>()
            .SelectMany(v => Regex.Matches(v, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)").Select(m => m.Groups[1].Value));

    /// <summary>A Secret's value; a placeholder such as <c>[REDIS_PASSWORD]</c> stands for the random hex string the operator makes.</summary>
    private static string SecretValue(IReadOnlyList<K8sObject> objects, string? name, string? key)
    {
        var value = objects.FirstOrDefault(o => o.Kind == "Secret" && o.Name == name)?.Tree.Map("stringData").Text(key ?? string.Empty) ?? string.Empty;
        return value.StartsWith('[') && value.EndsWith(']') ? Password : value;
    }

    private static void CheckPorts(K8sObject workload, Dictionary<string, object?> container, PushConfiguration configuration, List<string> problems)
    {
        var listens = HostPorts.Of(configuration);
        var declared = container.Maps("ports").Select(p => int.Parse(p.Text("containerPort")!, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var port in listens.Where(p => !declared.Contains(p.Number)))
        {
            problems.Add($"{workload}: the {configuration.Role} role listens on {port.Number} ({port.Name}), which the container does not declare");
        }

        foreach (var port in declared.Where(d => listens.All(p => p.Number != d)))
        {
            problems.Add($"{workload}: container port {port} is not a port the {configuration.Role} role listens on");
        }

        var internalPorts = listens.Where(p => !p.IsPublic && p.Name is HostPorts.Router or HostPorts.Health).Select(p => p.Number).ToHashSet();
        foreach (var (kind, probe) in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Select(k => (k, container.Map(k))).Where(p => p.Item2 is not null))
        {
            var get = probe.Map("httpGet");
            var port = References.ContainerPort(container, Convert.ToString(get?["port"], System.Globalization.CultureInfo.InvariantCulture));
            if (get is null || !HealthPaths.All.Contains(get.Text("path")) || port is null || !internalPorts.Contains(port.Value))
            {
                problems.Add($"{workload}: {kind} must be an HTTP GET of a health route ({string.Join(", ", HealthPaths.All)}) on the internal port ({string.Join(", ", internalPorts)})");
            }
        }

        var annotations = workload.PodTemplate.At("metadata.annotations").Strings();
        if (annotations.GetValueOrDefault("prometheus.io/scrape") != "true"
            || !int.TryParse(annotations.GetValueOrDefault("prometheus.io/port"), out var metricsPort) || !internalPorts.Contains(metricsPort)
            || annotations.GetValueOrDefault("prometheus.io/path") != HealthPaths.Metrics)
        {
            problems.Add($"{workload}: prometheus.io annotations must scrape {HealthPaths.Metrics} on the internal port ({string.Join(", ", internalPorts)})");
        }

        if (!int.TryParse(workload.PodTemplate.At("spec").Text("terminationGracePeriodSeconds"), out var grace) || grace <= PushHost.ShutdownTimeout.TotalSeconds)
        {
            problems.Add($"{workload}: terminationGracePeriodSeconds must exceed Push's shutdown timeout ({PushHost.ShutdownTimeout.TotalSeconds} s)");
        }
    }
}
