using Push.Shared.Settings;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

public sealed class PushConfigurationTests
{
    private const string Key = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=";

    [Fact]
    public void Load_SeedDotEnvAsIs_StopsOnThePlaceholderKeyNamingIt()
    {
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv);

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment));

        Assert.Contains("AUTOCONNECT__CRYPTO_KEY", e.Message, StringComparison.Ordinal);
        Assert.Contains("placeholder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeedDotEnvWithItsAuthKeyPlaceholder_StopsNamingIt()
    {
        using var data = new TempDirectory();
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv);
        environment["AUTOEND__CRYPTO_KEYS"] = environment["AUTOEND__CRYPTO_KEYS"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["AUTOCONNECT__CRYPTO_KEY"] = environment["AUTOCONNECT__CRYPTO_KEY"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["PUSH__DATA_DIR"] = data.Path;

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment));

        Assert.Contains("auth_keys (AUTOEND__AUTH_KEYS)", e.Message, StringComparison.Ordinal);
        Assert.Contains("placeholder", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_TwoDifferentDsnsWithPasswords_ErrorNamesNeitherPassword()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AUTOCONNECT__DB_DSN"] = "redis://:Hunter2-connect-pw@valkey:6379",
            ["AUTOEND__DB_DSN"] = "redis://push:Hunter2-endpoint-pw@other:6379",
        };

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment));

        Assert.Contains("differ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeedDotEnvWithItsKeysFilledIn_GivesEveryValue()
    {
        using var data = new TempDirectory();
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv);
        environment["AUTOEND__CRYPTO_KEYS"] = environment["AUTOEND__CRYPTO_KEYS"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["AUTOCONNECT__CRYPTO_KEY"] = environment["AUTOCONNECT__CRYPTO_KEY"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["AUTOEND__AUTH_KEYS"] = environment["AUTOEND__AUTH_KEYS"]!.Replace("AUTH_KEY", "s3cret-auth-key-0123", StringComparison.Ordinal);
        environment["PUSH__DATA_DIR"] = data.Path;

        var c = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        Assert.Equal("autoendpoint", c.Endpoint.Host);
        Assert.Equal(8000, c.Endpoint.Port);
        Assert.Equal("redis://valkey:6379", c.Endpoint.DbDsn);
        Assert.True(c.Endpoint.HumanLogs);
        Assert.Equal(["s3cret-auth-key-0123"], c.Endpoint.AuthKeys);
        Assert.Contains("hostname", c.Connect.IgnoredSettings);
        Assert.Equal(8080, c.Connect.Port);
        Assert.Equal(8081, c.Connect.RouterPort);
        Assert.Equal("https://push-api.example.com", c.Connect.EndpointBaseUrl);
        Assert.Equal("redis://valkey:6379", c.Connect.DbDsn);
        Assert.True(c.Connect.HumanLogs);
        Assert.Equal(c.Connect.CryptoKeys.Fingerprints, c.Endpoint.CryptoKeys.Fingerprints);
        Assert.Equal("redis://valkey:6379", c.DbDsn);
        Assert.Equal(new System.Net.DnsEndPoint("valkey", 6379), c.RedisOptions()!.EndPoints.Single());
    }

    [Fact]
    public void Load_SeedTomlFiles_LoadUnchangedTogether()
    {
        using var data = new TempDirectory();
        var commandLine = new HostCommandLine("all", SeedFiles.AutoconnectToml, SeedFiles.AutoendpointToml, null);

        var c = PushConfiguration.Load(commandLine, new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path });

        Assert.Equal("https://push-api.example.com", c.Connect.EndpointBaseUrl);
        Assert.Equal("0.0.0.0", c.Endpoint.Host);
        Assert.Equal(c.Connect.CryptoKeys.Fingerprints, c.Endpoint.CryptoKeys.Fingerprints);
        Assert.False(c.UsesStoredCryptoKey);
    }

    [Fact]
    public void Load_MismatchedKeys_SaysSoAtStartUp()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AUTOCONNECT__CRYPTO_KEY"] = $"[{Key}]",
            ["AUTOEND__CRYPTO_KEYS"] = "[AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=]",
        };

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment));

        Assert.Contains("crypto_key", e.Message, StringComparison.Ordinal);
        Assert.Contains("crypto_keys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoKeys_MakesOneAndKeepsItAcrossLoads()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path };

        var first = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);
        var second = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        Assert.True(first.UsesStoredCryptoKey);
        Assert.Equal(first.Connect.CryptoKeys.Fingerprints, second.Endpoint.CryptoKeys.Fingerprints);
        Assert.True(File.Exists(Path.Combine(data.Path, "crypto_key")));
    }

    [Fact]
    public void Load_NoKeysAndAStaleTempFile_KeyFileIsOwnerOnlyAndComplete()
    {
        using var data = new TempDirectory();
        var stale = Path.Combine(data.Path, "crypto_key.tmp");
        File.WriteAllText(stale, "torn");
        var environment = new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path };

        var c = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        var path = Path.Combine(data.Path, "crypto_key");
        Assert.True(Push.Shared.Crypto.KeyList.TryParseFernetKeys(File.ReadAllText(path).Trim(), out var keys, out _));
        Assert.Single(keys);
        Assert.False(File.Exists(stale));
        Assert.True(c.UsesStoredCryptoKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData(null, "127.0.0.0/8 ::1/128")]
    [InlineData("", "")]
    [InlineData("[10.0.0.0/8, 192.0.2.1, 2001:db8::/32]", "10.0.0.0/8 192.0.2.1/32 2001:db8::/32")]
    public void Load_TrustedProxies_AreLoopbackUnlessListed(string? setting, string expected)
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path, ["PUSH__TRUSTED_PROXIES"] = setting };

        var configuration = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        Assert.Equal(expected, string.Join(' ', configuration.Silo.TrustedProxies));
    }

    [Theory]
    [InlineData(null, 500)]
    [InlineData("1.5", 1500)]
    public void Load_SaveTimeout_HalfASecondUnlessSet(string? setting, int expectedMilliseconds)
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path, ["PUSH__SAVE_TIMEOUT"] = setting };

        var configuration = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), configuration.Silo.SaveTimeout);
    }

    [Theory]
    [InlineData("AUTOEND__DB_DSN", "grpc://localhost:8086", "not supported")]
    [InlineData("AUTOEND__PORT", "8080", "port (AUTOCONNECT__PORT) and port (AUTOEND__PORT)")]
    [InlineData("PUSH__LOG_FORMAT", "xml", "log_format (PUSH__LOG_FORMAT): \"xml\" is not human, json or mozlog")]
    [InlineData("PUSH__SAVE_TIMEOUT", "5", "save_timeout (PUSH__SAVE_TIMEOUT): must be at most 2 seconds")]
    [InlineData("PUSH__TRUSTED_PROXIES", "10.0.0.0/8, nginx", "trusted_proxies (PUSH__TRUSTED_PROXIES): \"nginx\" is not an IP address")]
    public void Load_ConflictingOrUnsupported_FailsClearly(string variable, string value, string expected)
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["PUSH__DATA_DIR"] = data.Path, [variable] = value };

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoint", "AUTOEND__PORT", "PUSH__HEALTH_PORT", "port (AUTOEND__PORT) and health_port (PUSH__HEALTH_PORT)")]
    [InlineData("silo", "PUSH__HEALTH_PORT", "PUSH__GATEWAY_PORT", "health_port (PUSH__HEALTH_PORT) and gateway_port (PUSH__GATEWAY_PORT)")]
    [InlineData("connect", "AUTOCONNECT__PORT", "AUTOCONNECT__ROUTER_PORT", "port (AUTOCONNECT__PORT) and router_port (AUTOCONNECT__ROUTER_PORT)")]
    public void Load_TwoPortsOfARoleTheSame_NamesBothSettings(string role, string first, string second, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PUSH__DB_DSN"] = "redis://valkey:6379",
            ["AUTOCONNECT__CRYPTO_KEY"] = $"[{Key}]",
            ["AUTOEND__CRYPTO_KEYS"] = $"[{Key}]",
            [first] = "9000",
            [second] = "9000",
        };

        var e = Assert.Throws<SettingsException>(() => PushConfiguration.Load(HostCommandLine.Parse([role]), environment));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
