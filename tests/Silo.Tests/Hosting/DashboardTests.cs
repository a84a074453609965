using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Push.Shared.Settings;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>The Orleans dashboard: off unless configured, then only on its own port and only with the credential.</summary>
public sealed class DashboardTests : IDisposable
{
    private const string User = "ops";
    private const string Password = "correct horse battery staple";
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public void Dispose()
    {
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Dashboard_ByDefault_IsNotServedOnAnyPort()
    {
        await using var host = await TestHost.StartAsync(_data.Path);

        Assert.Null(host.Host.Configuration.Silo.DashboardPort);
        foreach (var uri in new[] { WithHttp(host.WebSocketUri), host.InternalUri, host.EndpointUri })
        {
            using var response = await _http.SendAsync(Get(new Uri(uri, "dashboard/"), User, Password));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Dashboard_WithCredential_AnswersOnlyOnItsPortAndOnlyWithTheCredential()
    {
        var port = FreePorts.Next();
        await using var host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["PUSH__DASHBOARD_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PUSH__DASHBOARD_USERNAME"] = User,
            ["PUSH__DASHBOARD_PASSWORD"] = Password,
        });
        var page = new Uri($"http://127.0.0.1:{port}/dashboard/");

        using (var anonymous = await _http.SendAsync(Get(page, null, null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic ", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var wrong = await _http.SendAsync(Get(page, User, Password + "!")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var ok = await _http.SendAsync(Get(page, User, Password)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("<html", await ok.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // The cluster data behind the page, read through the silo.
        using (var counters = await _http.SendAsync(Get(new Uri(page, "DashboardCounters"), User, Password)))
        {
            Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        }

        foreach (var uri in new[] { WithHttp(host.WebSocketUri), host.InternalUri, host.EndpointUri })
        {
            using var response = await _http.SendAsync(Get(new Uri(uri, "dashboard/"), User, Password));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void Load_DashboardPortWithoutCredential_StopsNamingTheMissingSettings()
    {
        var e = Assert.Throws<SettingsException>(() => Load("all", new() { ["PUSH__DASHBOARD_PORT"] = "9091" }));

        Assert.Contains("PUSH__DASHBOARD_USERNAME", e.Message, StringComparison.Ordinal);
        Assert.Contains("PUSH__DASHBOARD_PASSWORD", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("[DASHBOARD_PASSWORD]")]
    [InlineData("admin")]
    public void Load_DashboardPasswordPlaceholderOrShort_Stops(string password)
    {
        var e = Assert.Throws<SettingsException>(() => Load("all", new()
        {
            ["PUSH__DASHBOARD_PORT"] = "9091",
            ["PUSH__DASHBOARD_USERNAME"] = "admin",
            ["PUSH__DASHBOARD_PASSWORD"] = password,
        }));

        Assert.Contains("dashboard_password (PUSH__DASHBOARD_PASSWORD)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_DashboardOnAPublicPort_Stops()
    {
        var e = Assert.Throws<SettingsException>(() => Load("all", new()
        {
            ["PUSH__DASHBOARD_PORT"] = "8080",
            ["PUSH__DASHBOARD_USERNAME"] = User,
            ["PUSH__DASHBOARD_PASSWORD"] = Password,
        }));

        Assert.Contains("AUTOCONNECT__PORT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DashboardOnAFrontendRole_Stops()
    {
        var e = Assert.Throws<SettingsException>(() => Load("connect", new()
        {
            ["AUTOCONNECT__DB_DSN"] = "redis://127.0.0.1:6379",
            ["AUTOCONNECT__CRYPTO_KEY"] = "mqCGb8D-N7mqx6iWJov9wm70Us6kA9veeXdb8QUuzLQ=",
            ["PUSH__DASHBOARD_PORT"] = "9091",
            ["PUSH__DASHBOARD_USERNAME"] = User,
            ["PUSH__DASHBOARD_PASSWORD"] = Password,
        }));

        Assert.Contains("PUSH__DASHBOARD_PORT", e.Message, StringComparison.Ordinal);
    }

    private PushConfiguration Load(string role, Dictionary<string, string?> environment)
    {
        environment["PUSH__DATA_DIR"] = _data.Path;
        return PushConfiguration.Load(HostCommandLine.Parse([role]), environment);
    }

    private static Uri WithHttp(Uri webSocket) => new UriBuilder(webSocket) { Scheme = "http" }.Uri;

    private static HttpRequestMessage Get(Uri uri, string? user, string? password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return request;
    }
}
