using Push.Shared.Settings;
using Push.Testing;

namespace Push.Shared.Tests.Settings;

public sealed class ConnectSettingsTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static ConnectSettings Load(string? file, Dictionary<string, string?> environment) =>
        ConnectSettings.Load(SettingsSource.Load(file, environment, ConnectSettings.EnvironmentPrefix));

    [Fact]
    public void Load_Nothing_GivesDocumentedDefaults()
    {
        var s = Load(null, NoEnvironment);

        Assert.Equal(8080, s.Port);
        Assert.Equal(8081, s.RouterPort);
        Assert.Equal(TimeSpan.FromSeconds(300), s.AutoPingInterval);
        Assert.Equal(TimeSpan.FromSeconds(4), s.AutoPingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), s.OpenHandshakeTimeout);
        Assert.Equal("http://localhost:8082", s.EndpointBaseUrl);
        Assert.False(s.EndpointUrlConfigured);
        Assert.Equal(1000, s.MessageLimit);
        Assert.Equal(128, s.ClientChannelCapacity);
        Assert.Equal(TimeSpan.FromSeconds(30), s.MegaphonePollInterval);
        Assert.True(s.CryptoKeyGenerated);
        Assert.Null(s.DbDsn);
        Assert.Null(s.HumanLogs);
    }

    [Fact]
    public void Load_SeedAutoconnectToml_GivesItsValues()
    {
        var s = Load(SeedFiles.AutoconnectToml, NoEnvironment);

        Assert.Contains("hostname", s.IgnoredSettings);
        Assert.Equal(8080, s.Port);
        Assert.Equal(8081, s.RouterPort);
        Assert.Equal("https://push-api.example.com", s.EndpointBaseUrl);
        Assert.True(s.EndpointUrlConfigured);
        Assert.Equal("redis://valkey:6379", s.DbDsn);
        Assert.False(s.CryptoKeyGenerated);
        Assert.Equal(Fingerprint("mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ="), s.CryptoKeys.Fingerprints[0]);
    }

    [Fact]
    public void Load_EnvironmentAndFile_EnvironmentWins()
    {
        var s = Load(SeedFiles.AutoconnectToml, new() { ["AUTOCONNECT__PORT"] = "9150", ["AUTOCONNECT__MSG_LIMIT"] = "20" });

        Assert.Equal(9150, s.Port);
        Assert.Equal(20, s.MessageLimit);
        Assert.Equal(8081, s.RouterPort);
    }

    [Fact]
    public void Load_QuotedEnvironmentValue_IsUnquoted()
    {
        var s = Load(null, new() { ["AUTOCONNECT__ENDPOINT_HOSTNAME"] = "\"push-api.example.com\"", ["AUTOCONNECT__AUTO_PING_INTERVAL"] = "0.5" });

        Assert.Equal("http://push-api.example.com:8082", s.EndpointBaseUrl);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.AutoPingInterval);
    }

    [Theory]
    [InlineData("AUTOCONNECT__PORT", "eighty", "port (AUTOCONNECT__PORT)")]
    [InlineData("AUTOCONNECT__PORT", "70000", "port (AUTOCONNECT__PORT)")]
    [InlineData("AUTOCONNECT__AUTO_PING_INTERVAL", "0", "auto_ping_interval (AUTOCONNECT__AUTO_PING_INTERVAL)")]
    [InlineData("AUTOCONNECT__AUTO_PING_TIMEOUT", "-1", "auto_ping_timeout (AUTOCONNECT__AUTO_PING_TIMEOUT)")]
    [InlineData("AUTOCONNECT__MSG_LIMIT", "0", "msg_limit (AUTOCONNECT__MSG_LIMIT)")]
    [InlineData("AUTOCONNECT__HUMAN_LOGS", "maybe", "human_logs (AUTOCONNECT__HUMAN_LOGS)")]
    [InlineData("AUTOCONNECT__ENDPOINT_SCHEME", "ftp", "endpoint_scheme (AUTOCONNECT__ENDPOINT_SCHEME)")]
    [InlineData("AUTOCONNECT__CRYPTO_KEY", "[CRYPTO_KEY]", "crypto_key (AUTOCONNECT__CRYPTO_KEY)")]
    [InlineData("AUTOCONNECT__MEGAPHONE_API_URL", "not a url", "megaphone_api_url (AUTOCONNECT__MEGAPHONE_API_URL)")]
    [InlineData("AUTOCONNECT__DB_SETTINGS", "{oops", "db_settings (AUTOCONNECT__DB_SETTINGS)")]
    public void Load_BadValue_FailsWithOneLineNamingTheSetting(string variable, string value, string named)
    {
        var e = Assert.Throws<SettingsException>(() => Load(null, new() { [variable] = value }));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_SettingFromFile_ErrorNamesTheFile()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "autoconnect.toml");
        File.WriteAllText(file, "port = \"x\"\n");

        var e = Assert.Throws<SettingsException>(() => Load(file, NoEnvironment));

        Assert.Contains("port in autoconnect.toml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenToml_SaysSo()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "bad.toml");
        File.WriteAllText(file, "port = = 1\n");

        var e = Assert.Throws<SettingsException>(() => Load(file, NoEnvironment));

        Assert.Contains("not valid TOML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StatsdAndSentry_AreAcceptedAndListedAsIgnored()
    {
        var s = Load(null, new() { ["AUTOCONNECT__STATSD_HOST"] = "localhost", ["AUTOCONNECT__DISABLE_SENTRY"] = "true", ["AUTOCONNECT__SOMETHING_NEW"] = "1" });

        Assert.Equal(["statsd_host", "disable_sentry"], s.IgnoredSettings);
    }

    private static string Fingerprint(string key) => Push.Shared.Crypto.KeyFingerprint.Of(Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/')));
}
