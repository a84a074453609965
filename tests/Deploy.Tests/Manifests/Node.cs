namespace Push.Deploy.Tests.Manifests;

/// <summary>Small accessors for YAML trees.</summary>
internal static class Node
{
    public static Dictionary<string, object?>? Map(this Dictionary<string, object?>? node, string key) =>
        node is not null && node.TryGetValue(key, out var value) ? value as Dictionary<string, object?> : null;

    public static List<object?> List(this Dictionary<string, object?>? node, string key) =>
        node is not null && node.TryGetValue(key, out var value) && value is List<object?> list ? list : [];

    public static IEnumerable<Dictionary<string, object?>> Maps(this Dictionary<string, object?>? node, string key) =>
        node.List(key).OfType<Dictionary<string, object?>>();

    public static string? Text(this Dictionary<string, object?>? node, string key) =>
        node is not null && node.TryGetValue(key, out var value) ? value as string : null;

    /// <summary>Follows a path of map keys, e.g. <c>spec.template.spec</c>.</summary>
    public static Dictionary<string, object?>? At(this Dictionary<string, object?>? node, string path) =>
        path.Split('.').Aggregate(node, (n, key) => n.Map(key));

    public static Dictionary<string, string> Strings(this Dictionary<string, object?>? node) =>
        node?.Where(p => p.Value is string).ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal) ?? [];
}
