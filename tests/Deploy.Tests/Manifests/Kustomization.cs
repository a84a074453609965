namespace Push.Deploy.Tests.Manifests;

/// <summary>
/// Enough of kustomize to render Push's base and overlays: resources (files and folders), namespace,
/// images, replicas, secret generators (from the env file, or its <c>.example</c> when the real one
/// is not there), ConfigMap generators from files (with the labels and annotations of
/// <c>generatorOptions</c>; names left without a hash suffix) and strategic-merge patches (lists of
/// named items merged by name).
/// </summary>
internal static class Kustomization
{
    public const string FileName = "kustomization.yaml";

    /// <summary>Every file a kustomization names (resources, patches, generator inputs), and whether it exists.</summary>
    public static IEnumerable<(string Path, bool Exists)> ListedFiles(string directory)
    {
        var k = Yaml.Load(Path.Combine(directory, FileName));
        foreach (var resource in k.List("resources").OfType<string>())
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            yield return (path, File.Exists(path) || File.Exists(Path.Combine(path, FileName)));
        }

        foreach (var patch in k.Maps("patches"))
        {
            var path = Path.Combine(directory, patch.Text("path") ?? string.Empty);
            yield return (path, File.Exists(path));
        }

        foreach (var file in k.Maps("secretGenerator").Concat(k.Maps("configMapGenerator")).SelectMany(g => g.List("envs").OfType<string>()))
        {
            var path = Path.Combine(directory, file);
            yield return (path, File.Exists(path) || File.Exists(path + ".example"));
        }

        foreach (var (_, path) in k.Maps("configMapGenerator").SelectMany(g => GeneratorFiles(directory, g)))
        {
            yield return (path, File.Exists(path));
        }
    }

    public static List<K8sObject> Render(string directory)
    {
        var k = Yaml.Load(Path.Combine(directory, FileName));
        var objects = new List<K8sObject>();
        foreach (var resource in k.List("resources").OfType<string>())
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            objects.AddRange(Directory.Exists(path)
                ? Render(path)
                : Yaml.LoadAll(path).Select(tree => new K8sObject(tree, path)));
        }

        foreach (var generator in k.Maps("secretGenerator"))
        {
            Generate(objects, directory, generator);
        }

        foreach (var generator in k.Maps("configMapGenerator"))
        {
            objects.Add(GenerateConfigMap(directory, generator, k.Map("generatorOptions")));
        }

        foreach (var patch in k.Maps("patches"))
        {
            var path = Path.Combine(directory, patch.Text("path")!);
            foreach (var tree in Yaml.LoadAll(path))
            {
                var target = objects.Single(o => o.Kind == tree.Text("kind") && o.Name == tree.At("metadata")?.Text("name"));
                Merge(target.Tree, tree);
            }
        }

        foreach (var image in k.Maps("images"))
        {
            var newName = image.Text("newName") ?? image.Text("name")!;
            var reference = image.Text("newTag") is { } tag ? $"{newName}:{tag}" : newName;
            foreach (var container in objects.SelectMany(Containers).Where(c => ImageName(c.Text("image")) == image.Text("name")))
            {
                container["image"] = reference;
            }
        }

        foreach (var replicas in k.Maps("replicas"))
        {
            var target = objects.Single(o => o.Kind is "Deployment" or "StatefulSet" && o.Name == replicas.Text("name"));
            target.Tree.Map("spec")!["replicas"] = replicas.Text("count");
        }

        if (k.Text("namespace") is { } ns)
        {
            foreach (var o in objects.Where(o => o.Kind != "Namespace"))
            {
                o.Tree.Map("metadata")!["namespace"] = ns;
            }
        }

        foreach (var pairs in k.Maps("labels").Select(l => l.Map("pairs")).OfType<Dictionary<string, object?>>())
        {
            foreach (var o in objects)
            {
                var metadata = o.Tree.Map("metadata")!;
                var labels = metadata.Map("labels") ?? [];
                metadata["labels"] = labels;
                foreach (var (key, value) in pairs)
                {
                    labels[key] = value;
                }
            }
        }

        return objects;
    }

    public static IEnumerable<Dictionary<string, object?>> Containers(K8sObject o) =>
        o.PodTemplate.At("spec").Maps("containers");

    /// <summary>The image's name without its tag or digest.</summary>
    public static string? ImageName(string? image) =>
        image?.Split('@')[0] is { } name && name.LastIndexOf(':') > name.LastIndexOf('/') ? name[..name.LastIndexOf(':')] : image?.Split('@')[0];

    private static void Generate(List<K8sObject> objects, string directory, Dictionary<string, object?> generator)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var file in generator.List("envs").OfType<string>())
        {
            var path = Path.Combine(directory, file);
            foreach (var (key, value) in DotEnv.Read(File.Exists(path) ? path : path + ".example"))
            {
                data[key] = value;
            }
        }

        var name = generator.Text("name")!;
        var secret = new Dictionary<string, object?>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = name },
            ["type"] = "Opaque",
            ["stringData"] = data,
        };
        if (generator.Text("behavior") == "replace")
        {
            objects.RemoveAll(o => o.Kind == "Secret" && o.Name == name);
        }

        objects.Add(new K8sObject(secret, Path.Combine(directory, FileName)));
    }

    private static K8sObject GenerateConfigMap(string directory, Dictionary<string, object?> generator, Dictionary<string, object?>? options)
    {
        var metadata = new Dictionary<string, object?> { ["name"] = generator.Text("name") };
        foreach (var part in new[] { "labels", "annotations" })
        {
            if (options.Map(part) is { } values)
            {
                metadata[part] = Yaml.Clone(values);
            }
        }

        var configMap = new Dictionary<string, object?>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = GeneratorFiles(directory, generator).ToDictionary(f => f.Key, f => (object?)File.ReadAllText(f.Path)),
        };
        return new K8sObject(configMap, Path.Combine(directory, FileName));
    }

    /// <summary>The <c>files</c> of a generator: <c>path</c> (keyed by its file name) or <c>key=path</c>.</summary>
    private static IEnumerable<(string Key, string Path)> GeneratorFiles(string directory, Dictionary<string, object?> generator) =>
        generator.List("files").OfType<string>().Select(f => f.Split('=', 2) is [var key, var path]
            ? (key, Path.Combine(directory, path))
            : (Path.GetFileName(f), Path.Combine(directory, f)));

    /// <summary>Strategic merge: maps merge key by key; lists of maps with a <c>name</c> merge item by item.</summary>
    private static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is Dictionary<string, object?> map && target.Map(key) is { } existing)
            {
                Merge(existing, map);
            }
            else if (value is List<object?> list && target.TryGetValue(key, out var current) && current is List<object?> items
                && list.All(i => i is Dictionary<string, object?> m && m.ContainsKey("name")))
            {
                foreach (var item in list.Cast<Dictionary<string, object?>>())
                {
                    var match = items.OfType<Dictionary<string, object?>>().FirstOrDefault(i => i.Text("name") == item.Text("name"));
                    if (match is null)
                    {
                        items.Add(Yaml.Clone(item));
                    }
                    else
                    {
                        Merge(match, item);
                    }
                }
            }
            else
            {
                target[key] = Yaml.Clone(value);
            }
        }
    }
}
