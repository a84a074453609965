namespace Push.Deploy.Tests.Manifests;

/// <summary>Env files as Compose and kustomize read them: <c>NAME=value</c> lines, comments skipped.</summary>
internal static class DotEnv
{
    public static Dictionary<string, string> Read(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => Unquote(p[1].Trim()), StringComparer.Ordinal);

    /// <summary>Names on lines such as <c># NAME=value</c>: settings shown but left off.</summary>
    public static IEnumerable<string> CommentedNames(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim())
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Za-z_][A-Za-z0-9_]*="))
            .Select(l => l.Split('=', 2)[0]);

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
