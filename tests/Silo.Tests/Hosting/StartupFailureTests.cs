using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>A process that cannot start says why in one line naming the setting, exits non-zero, and prints no stack trace.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("AUTOCONNECT__PORT")]
    [InlineData("AUTOCONNECT__ROUTER_PORT")]
    [InlineData("AUTOEND__PORT")]
    public async Task Start_PortInUse_OneLineNamingThePortSetting(string setting)
    {
        var environment = TestHost.NewEnvironment(_data.Path);
        using var squatter = new TcpListener(IPAddress.Any, int.Parse(environment[setting]!, CultureInfo.InvariantCulture));
        squatter.Start();

        var line = await FailedStartAsync(environment);

        Assert.Contains($"({setting}): another process is using it", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StoreUnreachable_OneLineNamingTheDsnSetting()
    {
        var environment = TestHost.NewEnvironment(_data.Path);
        environment["PUSH__DB_DSN"] = $"redis://127.0.0.1:{FreePorts.Next()}";

        var line = await FailedStartAsync(environment, "silo");

        Assert.Contains("db_dsn (PUSH__DB_DSN): Connection refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeyNotOfTheCertificate_OneLineNamingTheTlsSettings()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=push.example.com", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var environment = TestHost.NewEnvironment(Path.Combine(_data.Path, "data"));
        environment["PUSH__TLS_CERT_FILE"] = Path.Combine(_data.Path, "cert.pem");
        environment["PUSH__TLS_KEY_FILE"] = Path.Combine(_data.Path, "key.pem");
        await File.WriteAllTextAsync(environment["PUSH__TLS_CERT_FILE"]!, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(environment["PUSH__TLS_KEY_FILE"]!, other.ExportPkcs8PrivateKeyPem());

        var line = await FailedStartAsync(environment);

        Assert.Contains("tls_cert_file (PUSH__TLS_CERT_FILE) and tls_key_file (PUSH__TLS_KEY_FILE)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Start_DataDirIsAFile_OneLineNamingIt(bool keyGiven)
    {
        // Without a key, Push keeps the one it makes there; with one, the embedded store is the first to need it.
        var file = Path.Combine(_data.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var environment = TestHost.NewEnvironment(file);
        environment["PUSH__DB_DSN"] = null;
        if (keyGiven)
        {
            environment["AUTOCONNECT__CRYPTO_KEY"] = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=";
        }

        var line = await FailedStartAsync(environment);

        Assert.Contains("data_dir (PUSH__DATA_DIR)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PortTakenAfterTheChecks_IsExplainedNamingTheSetting()
    {
        // Kestrel's own bind failure, after the store and Orleans started: the same one line.
        var environment = TestHost.NewEnvironment(_data.Path);
        var configuration = PushConfiguration.Load(new HostCommandLine("all", null, null, null), environment);
        await using var host = await PushHost.CreateAsync(configuration, l => l.SetMinimumLevel(LogLevel.Warning));
        using var squatter = new TcpListener(IPAddress.Any, configuration.Endpoint.Port);
        squatter.Start();

        var e = await Assert.ThrowsAsync<StartupException>(() => host.StartAsync());

        Assert.Equal(StartupFailureKind.PortInUse, e.Kind);
        Assert.Contains("port (AUTOEND__PORT): another process is using it", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts Push, waits for it to exit, and returns the one line it printed.</summary>
    private static async Task<string> FailedStartAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        await using var push = PushProcess.Start(environment, arguments);
        await push.WaitForExitAsync(ExitTimeout);
        var lines = push.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.True(push.ExitCode != 0, push.Output);
        Assert.True(lines.Length == 1, push.Output);
        Assert.StartsWith("push: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(^|\n)\s*at ", push.Output);
        Assert.DoesNotContain("Exception", push.Output, StringComparison.Ordinal);
        return lines[0];
    }
}
