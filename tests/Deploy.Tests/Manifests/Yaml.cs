using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Push.Deploy.Tests.Manifests;

/// <summary>
/// YAML read into plain trees: maps (string keys), lists and scalars (strings), every document of a
/// multi-document file.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<string, object?>> LoadAll(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<string, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Normalize(Deserializer.Deserialize<object?>(parser)) is Dictionary<string, object?> map)
            {
                documents.Add(map);
            }
        }

        return documents;
    }

    public static Dictionary<string, object?> Load(string path) => LoadAll(path).Single();

    /// <summary>A deep copy, so that a test may change a rendered tree without touching others.</summary>
    public static object? Clone(object? node) => node switch
    {
        Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Clone(p.Value)),
        List<object?> list => list.Select(Clone).ToList(),
        _ => node,
    };

    private static object? Normalize(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, p => Normalize(p.Value)),
        IList<object?> list => list.Select(Normalize).ToList(),
        _ => node,
    };
}
