namespace Push.Deploy.Tests.Manifests;

/// <summary>One Kubernetes object of a rendered manifest set, and the file it came from.</summary>
internal sealed record K8sObject(Dictionary<string, object?> Tree, string Source)
{
    public string Kind => Tree.Text("kind") ?? string.Empty;

    public string Name => Tree.At("metadata")?.Text("name") ?? string.Empty;

    public override string ToString() => $"{Kind}/{Name} ({Path.GetFileName(Source)})";

    /// <summary>The pod template of a Deployment or StatefulSet, or null.</summary>
    public Dictionary<string, object?>? PodTemplate => Kind is "Deployment" or "StatefulSet" ? Tree.At("spec.template") : null;
}
