using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests.Checks;

/// <summary>Cross-references inside one rendered manifest set: every name that points somewhere finds its target.</summary>
internal static class References
{
    public static List<string> Problems(IReadOnlyList<K8sObject> objects)
    {
        var problems = new List<string>();
        var workloads = objects.Where(o => o.PodTemplate is not null).ToList();
        foreach (var service in objects.Where(o => o.Kind == "Service"))
        {
            var selector = service.Tree.At("spec.selector").Strings();
            var pods = workloads.Where(w => Matches(selector, w)).ToList();
            if (selector.Count == 0 || pods.Count == 0)
            {
                problems.Add($"{service}: its selector matches no pod template");
            }

            foreach (var port in service.Tree.At("spec").Maps("ports"))
            {
                var target = Convert.ToString(port["targetPort"] ?? port["port"], System.Globalization.CultureInfo.InvariantCulture);
                if (!pods.SelectMany(Kustomization.Containers).Any(c => ContainerPort(c, target) is not null))
                {
                    problems.Add($"{service}: targetPort {target} is no container port of its pods");
                }
            }
        }

        foreach (var hpa in objects.Where(o => o.Kind == "HorizontalPodAutoscaler"))
        {
            var target = hpa.Tree.At("spec.scaleTargetRef");
            if (!workloads.Any(w => w.Kind == target.Text("kind") && w.Name == target.Text("name")))
            {
                problems.Add($"{hpa}: scale target {target.Text("kind")}/{target.Text("name")} does not exist");
            }
        }

        foreach (var pdb in objects.Where(o => o.Kind == "PodDisruptionBudget"))
        {
            var selector = pdb.Tree.At("spec.selector.matchLabels").Strings();
            if (selector.Count == 0 || !workloads.Any(w => Matches(selector, w)))
            {
                problems.Add($"{pdb}: its selector matches no pod template");
            }
        }

        foreach (var ingress in objects.Where(o => o.Kind == "Ingress"))
        {
            foreach (var backend in ingress.Tree.At("spec").Maps("rules").SelectMany(r => r.At("http").Maps("paths")).Select(p => p.At("backend.service")))
            {
                var service = objects.FirstOrDefault(o => o.Kind == "Service" && o.Name == backend.Text("name"));
                var port = backend.Map("port");
                var wanted = port.Text("name") ?? Convert.ToString(port?["number"], System.Globalization.CultureInfo.InvariantCulture);
                if (service is null)
                {
                    problems.Add($"{ingress}: backend service {backend.Text("name")} does not exist");
                }
                else if (!service.Tree.At("spec").Maps("ports").Any(p => p.Text("name") == wanted || p.Text("port") == wanted))
                {
                    problems.Add($"{ingress}: {service} has no port {wanted}");
                }
            }
        }

        foreach (var workload in workloads)
        {
            var selector = workload.Tree.At("spec.selector.matchLabels").Strings();
            if (!Matches(selector, workload))
            {
                problems.Add($"{workload}: its selector does not match its own pod labels");
            }

            foreach (var container in Kustomization.Containers(workload))
            {
                foreach (var from in container.Maps("envFrom"))
                {
                    foreach (var (kind, key) in new[] { ("ConfigMap", "configMapRef"), ("Secret", "secretRef") })
                    {
                        if (from.Map(key)?.Text("name") is { } name && !objects.Any(o => o.Kind == kind && o.Name == name))
                        {
                            problems.Add($"{workload}: envFrom names {kind} {name}, which does not exist");
                        }
                    }
                }

                foreach (var reference in container.Maps("env").Select(e => e.At("valueFrom.secretKeyRef")).OfType<Dictionary<string, object?>>())
                {
                    var secret = objects.FirstOrDefault(o => o.Kind == "Secret" && o.Name == reference.Text("name"));
                    if (secret?.Tree.Map("stringData")?.ContainsKey(reference.Text("key") ?? string.Empty) != true)
                    {
                        problems.Add($"{workload}: env names key {reference.Text("key")} of Secret {reference.Text("name")}, which does not exist");
                    }
                }

                foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Select(container.Map).OfType<Dictionary<string, object?>>())
                {
                    var port = Convert.ToString(probe.At("httpGet")?["port"] ?? probe.At("tcpSocket")?["port"], System.Globalization.CultureInfo.InvariantCulture);
                    if (port is { Length: > 0 } && ContainerPort(container, port) is null)
                    {
                        problems.Add($"{workload}: probe port {port} is not a container port");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>The number of a container port given by name or number, or null.</summary>
    public static int? ContainerPort(Dictionary<string, object?> container, string? nameOrNumber) =>
        container.Maps("ports")
            .Where(p => p.Text("name") == nameOrNumber || p.Text("containerPort") == nameOrNumber)
            .Select(p => (int?)int.Parse(p.Text("containerPort")!, System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private static bool Matches(Dictionary<string, string> selector, K8sObject workload)
    {
        var labels = workload.PodTemplate.At("metadata.labels").Strings();
        return selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
    }
}
