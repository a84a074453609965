using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>The kustomizations: every file they name is there, and the overlay renders what it says.</summary>
public sealed class KustomizationTests
{
    public static TheoryData<string> Kustomizations => new(Directory.EnumerateFiles(RepoFiles.Deploy, Kustomization.FileName, SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(RepoFiles.Deploy, Path.GetDirectoryName(f)!)));

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void ListedFiles_OfEachKustomization_AllExist(string directory)
    {
        var missing = Kustomization.ListedFiles(Path.Combine(RepoFiles.Deploy, directory)).Where(f => !f.Exists).Select(f => f.Path).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryYamlFile_UnderDeploy_Parses()
    {
        var files = Directory.EnumerateFiles(RepoFiles.Deploy, "*.y*ml", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.NotEmpty(Yaml.LoadAll(f)));
    }

    [Fact]
    public void Render_ProductionOverlay_AppliesItsNamespaceImagesReplicasSecretAndPatches()
    {
        var objects = Kustomization.Render(RepoFiles.ProductionOverlay);

        Assert.All(objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal("push", o.Tree.At("metadata").Text("namespace")));
        var images = objects.SelectMany(Kustomization.Containers).Select(c => c.Text("image")).Where(PushContainers.IsPush).Distinct().ToList();
        Assert.Equal(["registry.example.com/push:0.1.0"], images);
        Assert.Equal("2", objects.Single(o => o.Name == "push-endpoint" && o.Kind == "Deployment").Tree.At("spec").Text("replicas"));
        Assert.Contains(objects, o => o.Kind == "PodMonitor");
        Assert.Equal("push-api.example.com", objects.Single(o => o.Kind == "Ingress").Tree.At("spec").Maps("rules").Last().Text("host"));
        var secret = objects.Single(o => o.Kind == "Secret" && o.Name == "push-secrets").Tree.Map("stringData").Strings();
        Assert.Contains("PUSH__DASHBOARD_PASSWORD", secret.Keys);
        var silo = Kustomization.Containers(objects.Single(o => o.Name == "push-silo" && o.Kind == "Deployment")).Single();
        Assert.Contains(silo.Maps("env"), e => e.Text("name") == "PUSH__DASHBOARD_PORT");
        Assert.Contains(silo.Maps("env"), e => e.Text("name") == "POD_IP");
    }

    [Fact]
    public void Render_Overlay_KeepsTheBaseImageNameThatTheDockerfileNames()
    {
        var overlay = Yaml.Load(Path.Combine(RepoFiles.ProductionOverlay, Kustomization.FileName));
        var baseImages = Kustomization.Render(RepoFiles.KubernetesBase).SelectMany(Kustomization.Containers)
            .Select(c => c.Text("image")).Where(i => !i!.Contains("valkey", StringComparison.Ordinal)).Distinct().ToList();

        Assert.Equal([DockerImage.Title], baseImages);
        Assert.Equal(DockerImage.Title, DockerImage.Repository.Name);
        Assert.Equal([DockerImage.Title], overlay.Maps("images").Select(i => i.Text("name")));
    }
}
