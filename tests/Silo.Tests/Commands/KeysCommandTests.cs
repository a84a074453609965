using Push.Silo.Commands;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Commands;

public sealed class KeysCommandTests
{
    [Fact]
    public void Generate_EnvironmentLines_AreAcceptedByTheSettingsLoader()
    {
        using var data = new TempDirectory();
        var environment = KeysCommand.Generate().Split('\n')
            .Where(l => l.StartsWith("AUTO", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => (string?)p[1]);
        environment["PUSH__DATA_DIR"] = data.Path;

        var configuration = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        Assert.False(configuration.UsesStoredCryptoKey);
        Assert.Equal(configuration.Connect.CryptoKeys.Fingerprints, configuration.Endpoint.CryptoKeys.Fingerprints);
        Assert.Single(configuration.Endpoint.AuthKeys);
    }

    [Fact]
    public void Generate_TwoRuns_GiveDifferentKeys() => Assert.NotEqual(KeysCommand.Generate(), KeysCommand.Generate());
}
