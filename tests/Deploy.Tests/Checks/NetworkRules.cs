using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests.Checks;

/// <summary>NetworkPolicy ingress rules as (role, port name) → who may connect, in short words.</summary>
internal static class NetworkRules
{
    public static readonly IReadOnlyList<string> Anyone = ["anyone"];

    public static Dictionary<(string Role, string Port), List<string>> Of(IEnumerable<K8sObject> policies)
    {
        var rules = new Dictionary<(string, string), List<string>>();
        foreach (var policy in policies)
        {
            var role = Role(policy.Tree.At("spec.podSelector.matchLabels").Strings());
            foreach (var rule in policy.Tree.At("spec").Maps("ingress"))
            {
                var from = rule.Maps("from").Select(Peer).ToList();
                foreach (var port in rule.Maps("ports").Select(p => p.Text("port")!))
                {
                    rules[(role, port)] = from.Count == 0 ? [.. Anyone] : from;
                }
            }
        }

        return rules;
    }

    /// <summary>The component label of Push's pods, or the name of others (redis).</summary>
    public static string Role(Dictionary<string, string> labels) =>
        labels.GetValueOrDefault("app.kubernetes.io/component") ?? labels.GetValueOrDefault("app.kubernetes.io/name") ?? "every pod";

    private static string Peer(Dictionary<string, object?> peer)
    {
        if (peer.At("namespaceSelector.matchLabels").Strings().TryGetValue("kubernetes.io/metadata.name", out var ns))
        {
            return $"namespace:{ns}";
        }

        var labels = peer.At("podSelector.matchLabels").Strings();
        return labels.TryGetValue("app.kubernetes.io/component", out var component) ? $"pods:component={component}" : $"pods:name={labels.GetValueOrDefault("app.kubernetes.io/name")}";
    }
}
