using Push.Silo.Commands;
using Push.Testing;

namespace Push.Silo.Tests.Commands;

public sealed class CheckCommandTests : IDisposable
{
    private const string Key = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=";
    private const string AuthKey = "s3cret-auth-key-0123456789";
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Check_SeedDotEnvAsIs_RefusesEveryPlaceholderAndExits1()
    {
        var (code, output) = await CheckAsync(SeedFiles.ReadDotEnv(SeedFiles.DotEnv), "endpoint");

        Assert.Equal(1, code);
        Assert.Contains("error: Invalid setting crypto_key (AUTOCONNECT__CRYPTO_KEY): \"CRYPTO_KEY\" is a placeholder", output, StringComparison.Ordinal);
        Assert.Contains("error: Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): \"CRYPTO_KEY\" is a placeholder", output, StringComparison.Ordinal);
        Assert.Contains("error: Invalid setting auth_keys (AUTOEND__AUTH_KEYS): \"AUTH_KEY\" is a placeholder", output, StringComparison.Ordinal);
        Assert.Contains("the endpoint role would not start", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SeedDotEnvWithItsKeys_PrintsTheResolvedSettingsWithoutSecrets()
    {
        var (code, output) = await CheckAsync(FilledSeed(), "endpoint");

        Assert.True(code == 0, output);
        Assert.Matches(@"\n  port +8000 +AUTOEND__PORT\n", output);
        Assert.Matches(@"\n  max_data_bytes +5630 +default\n", output);
        Assert.Matches(@"\n  crypto_key +\*\*\* +AUTOCONNECT__CRYPTO_KEY\n", output);
        Assert.Matches(@"\n  auth_keys +\*\*\* +AUTOEND__AUTH_KEYS\n", output);
        Assert.DoesNotContain(Key[..20], output, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthKey, output, StringComparison.Ordinal);
        Assert.Contains("clients are handed          https://push-api.example.com/wpush/", output, StringComparison.Ordinal);
        Assert.Matches(@"VAPID audiences accepted +(http://autoendpoint:8000, https://push-api\.example\.com|https://push-api\.example\.com, http://autoendpoint:8000)\n", output);
        Assert.Contains("store                       Redis at valkey:6379, db_dsn (AUTOCONNECT__DB_DSN)", output, StringComparison.Ordinal);
        Assert.Contains("warning: AUTOCONNECT__HOSTNAME is accepted for compatibility with autopush but does nothing in Push", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DsnWithPassword_ShowsItRedacted()
    {
        var environment = FilledSeed();
        environment["PUSH__DB_DSN"] = "redis://push:Hunter2-store-pw@valkey:6379/0";

        var (code, output) = await CheckAsync(environment, "silo");

        Assert.True(code == 0, output);
        Assert.Contains("redis://push:***@valkey:6379/0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2", output, StringComparison.Ordinal);
        Assert.Contains("Redis at valkey:6379, db_dsn (PUSH__DB_DSN)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MisspelledOrMisplacedVariables_WarnsWithTheSettingMeant()
    {
        var environment = FilledSeed();
        environment["AUTOCONNECT__ENDPOINT_HOSNAME"] = "push-api.example.com";
        environment["AUTOEND__ENDPOINT_HOSTNAME"] = "push-api.example.com";
        environment["PUSH__DATADIR"] = "/var/lib/push";

        var (code, output) = await CheckAsync(environment, "endpoint");

        Assert.True(code == 0, output);
        Assert.Contains("warning: AUTOCONNECT__ENDPOINT_HOSNAME is not a setting Push reads (did you mean AUTOCONNECT__ENDPOINT_HOSTNAME?)", output, StringComparison.Ordinal);
        Assert.Contains("warning: AUTOEND__ENDPOINT_HOSTNAME is not a setting Push reads: endpoint_hostname is a setting of the connect frontend (AUTOCONNECT__ENDPOINT_HOSTNAME)", output, StringComparison.Ordinal);
        Assert.Contains("warning: PUSH__DATADIR is not a setting Push reads (did you mean PUSH__DATA_DIR?)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MisspelledTomlKey_WarnsWithTheKeyMeant()
    {
        var file = Path.Combine(_data.Path, "autoconnect.toml");
        File.WriteAllText(file, $"port = 8080\nrouter_prot = 8081\ncrypto_key = \"[{Key}]\"\n");

        var (code, output) = await CheckAsync(new() { ["PUSH__DATA_DIR"] = _data.Path }, "--connect-config", file);

        Assert.True(code == 0, output);
        Assert.Contains("warning: router_prot in autoconnect.toml is not a setting Push reads (did you mean router_port?)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SeedTomlFiles_PassAndNameTheFileOfEachValue()
    {
        var (code, output) = await CheckAsync(new() { ["PUSH__DATA_DIR"] = _data.Path }, "--connect-config", SeedFiles.AutoconnectToml, "--endpoint-config", SeedFiles.AutoendpointToml);

        Assert.True(code == 0, output);
        Assert.Matches(@"\n  endpoint_hostname +push-api\.example\.com +endpoint_hostname in autoconnect\.toml\n", output);
        Assert.Contains("warning: hostname in autoconnect.toml is accepted for compatibility with autopush but does nothing in Push", output, StringComparison.Ordinal);
        Assert.Contains("clients are handed          https://push-api.example.com/wpush/", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoKeyGiven_SaysWhereStartWouldKeepOneAndWritesNothing()
    {
        var (code, output) = await CheckAsync(new() { ["PUSH__DATA_DIR"] = _data.Path });

        Assert.True(code == 0, output);
        Assert.Contains($"none given: the first start makes one and keeps it in {Path.Combine(_data.Path, "crypto_key")}", output, StringComparison.Ordinal);
        Assert.Contains($"the embedded store in {_data.Path}", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data.Path));
    }

    [Fact]
    public async Task Check_EndpointRoleWithoutAnyPublicUrl_WarnsThatVapidTokensCannotMatch()
    {
        var environment = FilledSeed();
        foreach (var name in environment.Keys.Where(k => k.StartsWith("AUTOCONNECT__ENDPOINT_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(name);
        }

        var (code, output) = await CheckAsync(environment, "endpoint");

        Assert.True(code == 0, output);
        Assert.Contains("warning: the endpoint frontend accepts VAPID tokens only for http://autoendpoint:8000", output, StringComparison.Ordinal);
        Assert.Contains("Set AUTOEND__ENDPOINT_URL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_FileThatIsNoCertificate_IsAnErrorNamingTheSetting()
    {
        var pem = Path.Combine(_data.Path, "cert.pem");
        File.WriteAllText(pem, "not a certificate\n");

        var (code, output) = await CheckAsync(new() { ["PUSH__DATA_DIR"] = _data.Path, ["PUSH__TLS_CERT_FILE"] = pem, ["PUSH__TLS_KEY_FILE"] = pem });

        Assert.Equal(1, code);
        Assert.Contains("error: Invalid setting tls_cert_file (PUSH__TLS_CERT_FILE) and tls_key_file (PUSH__TLS_KEY_FILE): not a PEM certificate", output, StringComparison.Ordinal);
    }

    /// <summary>The notes' .env with its placeholders filled in as an operator would, and a data folder of the test's.</summary>
    private Dictionary<string, string?> FilledSeed()
    {
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv);
        environment["AUTOCONNECT__CRYPTO_KEY"] = environment["AUTOCONNECT__CRYPTO_KEY"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["AUTOEND__CRYPTO_KEYS"] = environment["AUTOEND__CRYPTO_KEYS"]!.Replace("CRYPTO_KEY", Key, StringComparison.Ordinal);
        environment["AUTOEND__AUTH_KEYS"] = environment["AUTOEND__AUTH_KEYS"]!.Replace("AUTH_KEY", AuthKey, StringComparison.Ordinal);
        environment["PUSH__DATA_DIR"] = _data.Path;
        return environment;
    }

    private static async Task<(int Code, string Output)> CheckAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandTable.RunAsync(["check", .. args], output, error, environment);
        return (code, output.ToString() + error);
    }
}
