using Push.Testing;
using Push.Testing.Autopush;

namespace Push.Silo.Tests.Import;

/// <summary>What the import refuses, clearly and before writing anything; and its help.</summary>
public sealed class ImportAutopushRefusalTests : IAsyncLifetime
{
    private Filled _filled = null!;

    private AutopushMigration Migration => _filled.Migration;

    public async Task InitializeAsync() => _filled = await Filled.StartAsync();

    public async Task DisposeAsync() => await _filled.DisposeAsync();

    [Fact]
    public async Task Import_WhilePushRuns_RefusesTheEmbeddedStoreOrJoinsTheRedisCluster()
    {
        await using var push = await Migration.StartPushAsync();

        var (code, output) = await Migration.ImportAsync();

        if (TestStore.RedisDsn is null)
        {
            // Two stores on one folder would corrupt it.
            Assert.Equal(2, code);
            Assert.Contains($"Invalid setting data_dir (PUSH__DATA_DIR): {Migration.Data.Path} is in use by another Push process", output, StringComparison.Ordinal);
            return;
        }

        // On Redis the import's silo joins the running cluster: the service serves the users at once.
        Assert.True(code == 0, output);
        await using var client = await Migration.ConnectAsync();
        Assert.Equal(_filled.UaidText, (string)(await client.HelloAsync(_filled.UaidText))["uaid"]!);
        Assert.Equal(PushHttp.Base64Url("first"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task Import_AnotherCryptoKey_RefusesBeforeWritingAnything()
    {
        var (_, other) = AutopushTokens.NewKey();
        var rightKeys = (Migration.Environment["AUTOCONNECT__CRYPTO_KEY"], Migration.Environment["AUTOEND__CRYPTO_KEYS"]);
        (Migration.Environment["AUTOCONNECT__CRYPTO_KEY"], Migration.Environment["AUTOEND__CRYPTO_KEYS"]) = (other, other);

        var (code, output) = await Migration.ImportAsync();

        Assert.Equal(2, code);
        Assert.Contains("Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): none of ", output, StringComparison.Ordinal);
        (Migration.Environment["AUTOCONNECT__CRYPTO_KEY"], Migration.Environment["AUTOEND__CRYPTO_KEYS"]) = rightKeys;
        var (realCode, real) = await Migration.ImportAsync();
        Assert.True(realCode == 0, real);
        Assert.Equal(1, AutopushMigration.Imported(real).Users);
    }

    [Fact]
    public async Task Import_NoCryptoKey_RefusesNamingTheSetting()
    {
        Migration.Environment.Remove("AUTOCONNECT__CRYPTO_KEY");
        Migration.Environment.Remove("AUTOEND__CRYPTO_KEYS");

        var (code, output) = await Migration.ImportAsync();

        Assert.Equal(2, code);
        Assert.Contains("Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): not set", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Migration.Data.Path));
    }

    [Fact]
    public async Task Import_SourceNotAnswering_RefusesNamingIt()
    {
        var nobody = $"redis://127.0.0.1:{FreePorts.Next()}";

        var (code, output) = await Migration.RunAsync("import-autopush", "--from", nobody);

        Assert.Equal(2, code);
        Assert.Contains($"Invalid --from: {nobody} does not answer", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAutopush_Help_PrintsTheUsage()
    {
        var (code, output) = await Migration.RunAsync("import-autopush", "--help");

        Assert.Equal(0, code);
        Assert.StartsWith("Usage: Push.Silo import-autopush --from redis://HOST:PORT[/DB]", output, StringComparison.Ordinal);
        Assert.Contains("--dry-run", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAutopush_NoSource_SaysWhatIsMissing()
    {
        var (code, output) = await Migration.RunAsync("import-autopush", "--dry-run");

        Assert.Equal(2, code);
        Assert.StartsWith("push: import-autopush needs --from redis://HOST:PORT[/DB]", output, StringComparison.Ordinal);
    }
}
