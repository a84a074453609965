using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests;

/// <summary>Every Kubernetes object under deploy/k8s is valid for its API, as a cluster would check it on apply.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Objects_OfEveryKustomization_MatchTheirApiSchemas()
    {
        var files = ObjectFiles().ToList();
        var (code, output) = await Schemas.ValidateAsync(files);

        Assert.True(code == 0, output);
        // One "valid" line per object: none was skipped.
        var objects = files.Sum(f => Yaml.LoadAll(f).Count);
        Assert.Equal(objects, output.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
        Assert.Contains(output.Split('\n'), l => l.Contains("PrometheusRule/push", StringComparison.Ordinal));
        Assert.Contains(output.Split('\n'), l => l.Contains("HTTPRoute/push-connect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_ObjectOfTheWrongShape_IsInvalid()
    {
        using var folder = new Push.Testing.TempDirectory();
        var file = Path.Combine(folder.Path, "bad.yaml");
        var text = await File.ReadAllTextAsync(Path.Combine(RepoFiles.KubernetesBase, "silo.yaml"));
        await File.WriteAllTextAsync(file, text.Replace("maxSkew: 1", "maxSkew: one", StringComparison.Ordinal));

        var (code, output) = await Schemas.ValidateAsync([file]);

        Assert.Equal(1, code);
        Assert.Contains("maxSkew must be integer", output, StringComparison.Ordinal);
    }

    /// <summary>The files of whole objects: each kustomization's resources that are files (patches are partial objects).</summary>
    private static IEnumerable<string> ObjectFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoFiles.Deploy, "k8s"), Kustomization.FileName, SearchOption.AllDirectories)
            .SelectMany(k => Yaml.Load(k).List("resources").OfType<string>().Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(k)!, r))))
            .Where(File.Exists)
            .Distinct();
}
