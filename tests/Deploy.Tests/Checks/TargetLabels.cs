using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// The labels the Prometheus Operator gives every series it scrapes through a PodMonitor: Prometheus'
/// own <c>instance</c> and <c>job</c>; the operator's <c>namespace</c>, <c>pod</c>,
/// <c>container</c> and <c>endpoint</c>; each <c>podTargetLabels</c> entry with its dots and
/// slashes turned into underscores; and the <c>targetLabel</c> of each relabeling.
/// </summary>
internal static class TargetLabels
{
    public static IReadOnlySet<string> Of(K8sObject podMonitor)
    {
        var spec = podMonitor.Tree.At("spec");
        var labels = new HashSet<string>(StringComparer.Ordinal) { "instance", "job", "namespace", "pod", "container", "endpoint" };
        labels.UnionWith(spec.List("podTargetLabels").OfType<string>().Select(Sanitize));
        labels.UnionWith(spec.Maps("podMetricsEndpoints").SelectMany(e => e.Maps("relabelings")).Select(r => r.Text("targetLabel")).OfType<string>());
        return labels;
    }

    /// <summary>The operator's sanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_'.</summary>
    public static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));
}
