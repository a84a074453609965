using System.Text.Json.Serialization;

namespace Push.Shared;

/// <summary>The body of <c>/__version__</c> (Dockerflow's version.json fields).</summary>
public sealed record VersionInfo(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("build")] string Build)
{
    public static VersionInfo Current { get; } = new("push", ServiceVersion.Current, ServiceVersion.Commit, "dotnet");
}
