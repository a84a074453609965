using System.Globalization;
using System.Net;
using Push.Silo.Commands;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// The roles as separate processes on the notes' shared .env: the endpoint frontend listens as
/// autoendpoint:8000 (no endpoint_url) while clients are handed the AUTOCONNECT__ENDPOINT_* URL,
/// which senders sign their VAPID tokens for.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class SeedSplitLayoutTests : IAsyncLifetime
{
    private const string HandedOut = "https://push-api.example.com";
    private readonly ProcessCluster _cluster = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SeedDotEnv_VapidPushSignedForTheHandedOutUrl_IsAcceptedAndDelivered()
    {
        await _cluster.StartSiloAsync();
        var ws = await StartConnectAsync();
        var endpointPort = FreePorts.Next();
        var endpoint = await StartEndpointAsync(endpointPort, Seed());
        using var vapid = new VapidSigner();
        await using var client = await PushTestClient.ConnectAsync(ws);
        await client.HelloAsync();
        var pushEndpoint = (string)(await client.RegisterAsync(Guid.NewGuid(), vapid.PublicKey))["pushEndpoint"]!;
        Assert.StartsWith($"{HandedOut}/wpush/v2/", pushEndpoint, StringComparison.Ordinal);

        // As a sender behind the proxy of push-api.example.com reaches it: the handed-out path, signed for the handed-out origin.
        var local = $"http://127.0.0.1:{endpointPort}{new Uri(pushEndpoint).PathAndQuery}";
        using var response = await _http.PushAsync(local, "signed", [.. PushHttp.Aes128Gcm(), ("Authorization", vapid.Authorization(HandedOut))]);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.StartsWith($"{HandedOut}/m/", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(PushHttp.Base64Url("signed"), (string)(await client.NotificationAsync())["data"]!);
        Assert.DoesNotContain("Endpoint URLs:", endpoint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointRoleKnowingNoPublicUrl_WarnsAtStartUpAndHealthchecksPassForEveryRole()
    {
        var silo = await _cluster.StartSiloAsync();
        var environment = Seed();
        foreach (var name in environment.Keys.Where(k => k.StartsWith("AUTOCONNECT__ENDPOINT_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(name);
        }

        var endpoint = await StartEndpointAsync(FreePorts.Next(), environment);

        await Eventually.WaitAsync(() => endpoint.Output.Contains("Endpoint URLs: the endpoint frontend accepts VAPID tokens only for http://autoendpoint:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the start-up warning");
        Assert.Contains("Set AUTOEND__ENDPOINT_URL", endpoint.Output, StringComparison.Ordinal);
        foreach (var (role, process) in new[] { ("silo", silo), ("endpoint", endpoint) })
        {
            var settings = new Dictionary<string, string?>(environment) { ["PUSH__HEALTH_PORT"] = process.HealthPort.ToString(CultureInfo.InvariantCulture) };
            using var output = new StringWriter();
            Assert.True(await CommandTable.RunAsync([HealthcheckCommand.Name, role], output, output, settings) == 0, output.ToString());
        }
    }

    /// <summary>The notes' .env with its secrets filled in, on the cluster's store, cluster and data folder.</summary>
    private Dictionary<string, string?> Seed()
    {
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv);
        foreach (var name in new[] { "AUTOCONNECT__CRYPTO_KEY", "AUTOEND__CRYPTO_KEYS" })
        {
            environment[name] = _cluster.BaseEnvironment[name];
        }

        environment["AUTOEND__AUTH_KEYS"] = "[s3cret-auth-key-0123456789]";
        foreach (var name in _cluster.BaseEnvironment.Keys.Where(k => k.StartsWith("PUSH__", StringComparison.Ordinal)))
        {
            environment[name] = _cluster.BaseEnvironment[name];
        }

        return environment;
    }

    private async Task<Uri> StartConnectAsync()
    {
        var environment = Seed();
        var port = FreePorts.Next();
        environment["AUTOCONNECT__PORT"] = port.ToString(CultureInfo.InvariantCulture);
        environment["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var process = await _cluster.StartAsync("connect", port, environment);
        var healthcheck = new Dictionary<string, string?>(environment);
        using var output = new StringWriter();
        Assert.True(await CommandTable.RunAsync([HealthcheckCommand.Name, "connect"], output, output, healthcheck) == 0, output.ToString() + process.Output);
        return new Uri($"ws://127.0.0.1:{port}/");
    }

    private async Task<PushProcess> StartEndpointAsync(int port, Dictionary<string, string?> environment)
    {
        environment["AUTOEND__PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var health = FreePorts.Next();
        environment["PUSH__HEALTH_PORT"] = health.ToString(CultureInfo.InvariantCulture);
        return await _cluster.StartAsync("endpoint", health, environment);
    }
}
