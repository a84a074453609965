using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>With a certificate and key, the public ports serve wss:// and https:// themselves.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;
    private string _thumbprint = string.Empty;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _thumbprint = certificate.Thumbprint;
        var certFile = Path.Combine(_data.Path, "cert.pem");
        var keyFile = Path.Combine(_data.Path, "key.pem");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        _host = await TestHost.StartAsync(Path.Combine(_data.Path, "data"), new Dictionary<string, string?>
        {
            ["PUSH__TLS_CERT_FILE"] = certFile,
            ["PUSH__TLS_KEY_FILE"] = keyFile,
            ["AUTOEND__SCHEME"] = "https",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task RoundTrip_OverWssAndHttps()
    {
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => IsOurs(cert);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{_host.WebSocketUri.Port}/"), timeout.Token);
        await Send(socket, "{\"messageType\":\"hello\"}", timeout.Token);
        Assert.Contains("\"status\":200", await Receive(socket, timeout.Token), StringComparison.Ordinal);
        await Send(socket, $"{{\"messageType\":\"register\",\"channelID\":\"{Guid.NewGuid()}\"}}", timeout.Token);
        var register = System.Text.Json.Nodes.JsonNode.Parse(await Receive(socket, timeout.Token))!;
        var endpoint = (string)register["pushEndpoint"]!;
        Assert.StartsWith($"https://127.0.0.1:{_host.EndpointUri.Port}/wpush/v1/", endpoint, StringComparison.Ordinal);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => IsOurs(cert) };
        using var http = new HttpClient(handler);
        using var response = await http.PushAsync(endpoint, "secure", PushHttp.Aes128Gcm());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains(PushHttp.Base64Url("secure"), await Receive(socket, timeout.Token), StringComparison.Ordinal);
    }

    // The self-signed test certificate is trusted by its thumbprint, and nothing else is.
    private bool IsOurs(X509Certificate? certificate) =>
        certificate is not null && string.Equals(new X509Certificate2(certificate).Thumbprint, _thumbprint, StringComparison.Ordinal);

    private static Task Send(ClientWebSocket socket, string text, CancellationToken token) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token);

    private static async Task<string> Receive(ClientWebSocket socket, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
