namespace Push.Deploy.Tests.Manifests;

/// <summary>The repository's deployment files, found from the test's output folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");

    public static string KubernetesBase => Path.Combine(Deploy, "k8s", "base");

    public static string ProductionOverlay => Path.Combine(Deploy, "k8s", "overlays", "production");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Push.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Push.sln not found above the test folder");
    }
}
