using System.Text.Json;
using System.Xml.Linq;
using Push.Deploy.Tests.Manifests;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests;

/// <summary>
/// What makes a fresh process reach its steady push rate quickly, in every published artefact: the
/// runtime settings travel in the host's runtimeconfig.json (so the image, `dotnet publish` and
/// `dotnet run` all get them), and publishing compiles ReadyToRun.
/// </summary>
public sealed class StartupTuningTests
{
    [Fact]
    public void RuntimeConfig_OfTheHost_TurnsOffDynamicPgoAndTheCallCountingDelay()
    {
        var file = Path.Combine(AppContext.BaseDirectory, typeof(PushHost).Assembly.GetName().Name + ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
    }

    [Fact]
    public void Publish_WithoutOptions_IsReadyToRun()
    {
        var project = XDocument.Load(Path.Combine(RepoFiles.Root, "src", "Silo", "Silo.csproj"));

        Assert.Contains(project.Descendants("PublishReadyToRun"), p => p.Value == "true" && p.Attribute("Condition") is null);
    }
}
