using Push.Shared.Settings;
using Push.Testing;

namespace Push.Shared.Tests.Settings;

public sealed class EndpointSettingsTests
{
    private static EndpointSettings Load(string? file, Dictionary<string, string?> environment) =>
        EndpointSettings.Load(SettingsSource.Load(file, environment, EndpointSettings.EnvironmentPrefix, EndpointSettings.LegacyEnvironmentPrefix));

    [Fact]
    public void Load_Nothing_GivesDocumentedDefaults()
    {
        var s = Load(null, []);

        Assert.Equal("http", s.Scheme);
        Assert.Equal("127.0.0.1", s.Host);
        Assert.Equal(8000, s.Port);
        Assert.Equal("http://127.0.0.1:8000", s.EndpointUrl);
        Assert.Equal(5630, s.MaxDataBytes);
        Assert.Equal(2_592_000, s.MaxNotificationTtl);
        Assert.Empty(s.AuthKeys);
        Assert.True(s.CryptoKeysGenerated);
    }

    [Fact]
    public void Load_SeedAutoendpointToml_GivesItsValues()
    {
        var s = Load(SeedFiles.AutoendpointToml, []);

        Assert.Equal("0.0.0.0", s.Host);
        Assert.Equal(8000, s.Port);
        Assert.Equal("redis://valkey:6379", s.DbDsn);
        Assert.Equal("http", s.Scheme);
        Assert.True(s.HumanLogs);
        Assert.False(s.CryptoKeysGenerated);
    }

    [Fact]
    public void Load_LegacyPrefix_IsAnAliasAndTheCurrentPrefixWins()
    {
        var legacy = Load(null, new() { ["AUTOENDPOINT__PORT"] = "9160" });
        var both = Load(null, new() { ["AUTOENDPOINT__PORT"] = "9160", ["AUTOEND__PORT"] = "9161" });

        Assert.Equal(9160, legacy.Port);
        Assert.Equal(9161, both.Port);
    }

    [Fact]
    public void Load_KeyListsInEveryAcceptedForm()
    {
        var s = Load(null, new()
        {
            ["AUTOEND__CRYPTO_KEYS"] = "[\"mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=\", AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=]",
            ["AUTOEND__AUTH_KEYS"] = "[\"first-auth-key-0123\",second-auth-key-0123]",
        });

        Assert.Equal(2, s.CryptoKeys.Fingerprints.Count);
        Assert.Equal(["first-auth-key-0123", "second-auth-key-0123"], s.AuthKeys);
    }

    [Fact]
    public void Load_EndpointUrl_OverridesSchemeHostPort()
    {
        var s = Load(null, new() { ["AUTOEND__ENDPOINT_URL"] = "https://updates.push.example.com/", ["AUTOEND__HOST"] = "0.0.0.0" });

        Assert.Equal("https://updates.push.example.com", s.EndpointUrl);
    }

    [Fact]
    public void Load_BridgeSettings_AreAcceptedAndIgnored()
    {
        var s = Load(null, new() { ["AUTOEND__FCM__MIN_TTL"] = "60", ["AUTOEND__APNS__CHANNELS"] = "{}", ["AUTOEND__STATSD_HOST"] = "x" });

        Assert.Contains("fcm.min_ttl", s.IgnoredSettings);
        Assert.Contains("apns.channels", s.IgnoredSettings);
        Assert.Contains("statsd_host", s.IgnoredSettings);
    }

    [Theory]
    [InlineData("AUTOEND__MAX_DATA_BYTES", "lots", "max_data_bytes (AUTOEND__MAX_DATA_BYTES)")]
    [InlineData("AUTOEND__MAX_NOTIFICATION_TTL", "-5", "max_notification_ttl (AUTOEND__MAX_NOTIFICATION_TTL)")]
    [InlineData("AUTOEND__MAX_NOTIFICATION_TTL", "99999999999", "max_notification_ttl (AUTOEND__MAX_NOTIFICATION_TTL)")]
    [InlineData("AUTOEND__SCHEME", "gopher", "scheme (AUTOEND__SCHEME)")]
    [InlineData("AUTOEND__ENDPOINT_URL", "nowhere", "endpoint_url (AUTOEND__ENDPOINT_URL)")]
    [InlineData("AUTOEND__CRYPTO_KEYS", "[CRYPTO_KEY]", "crypto_keys (AUTOEND__CRYPTO_KEYS)")]
    [InlineData("AUTOEND__AUTH_KEYS", "[AUTH_KEY]", "auth_keys (AUTOEND__AUTH_KEYS)")]
    [InlineData("AUTOEND__AUTH_KEYS", "[a-real-key-0123456789, <auth key>]", "auth_keys (AUTOEND__AUTH_KEYS)")]
    [InlineData("AUTOEND__AUTH_KEYS", "secret", "auth_keys (AUTOEND__AUTH_KEYS)")]
    public void Load_BadValue_FailsWithOneLineNamingTheSetting(string variable, string value, string named)
    {
        var e = Assert.Throws<SettingsException>(() => Load(null, new() { [variable] = value }));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_Resolved_GivesEachValueAndItsOriginWithoutSecrets()
    {
        var s = Load(SeedFiles.AutoendpointToml, new()
        {
            ["AUTOEND__AUTH_KEYS"] = "[s3cret-auth-key-0123456789]",
            ["AUTOENDPOINT__DB_DSN"] = "redis://push:Hunter2-store-pw@valkey:6379",
            ["AUTOEND__STATSD_HOST"] = "localhost",
        });

        var resolved = s.Resolved.ToDictionary(r => r.Key);
        Assert.Equal(new ResolvedSetting("port", "8000", "port in autoendpoint.toml"), resolved["port"]);
        Assert.Equal(new ResolvedSetting("max_data_bytes", "5630", null), resolved["max_data_bytes"]);
        Assert.Equal(new ResolvedSetting("endpoint_url", string.Empty, null), resolved["endpoint_url"]);
        Assert.Equal(new ResolvedSetting("crypto_keys", Redaction.Hidden, "crypto_keys in autoendpoint.toml"), resolved["crypto_keys"]);
        Assert.Equal(new ResolvedSetting("auth_keys", Redaction.Hidden, "AUTOEND__AUTH_KEYS"), resolved["auth_keys"]);
        Assert.Equal(new ResolvedSetting("db_dsn", "redis://push:***@valkey:6379", "AUTOENDPOINT__DB_DSN"), resolved["db_dsn"]);
        Assert.False(resolved.ContainsKey("statsd_host"));
        Assert.Equal(["statsd_host"], s.IgnoredSettings);
    }
}
