using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>Push as separate processes clustered through Redis: roles, ghosting across silos, a frontend crash.</summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class ClusterTopologyTests : IAsyncLifetime
{
    private readonly ProcessCluster _cluster = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SeparateRoles_SiloConnectAndEndpoint_DeliverARoundTrip()
    {
        await _cluster.StartSiloAsync();
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();

        await using var client = await PushTestClient.ConnectAsync(ws);
        await client.HelloAsync();
        var endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        Assert.StartsWith($"http://127.0.0.1:{_cluster.EndpointPort}/wpush/v1/", endpoint, StringComparison.Ordinal);
        using var response = await _http.PushAsync(endpoint, "across processes", PushHttp.Aes128Gcm());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(PushHttp.Base64Url("across processes"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task SecondHello_OnAnotherSilo_ClosesTheFirstConnection()
    {
        var (_, firstNode, _) = await _cluster.StartNodeAsync();
        var (_, secondNode, _) = await _cluster.StartNodeAsync();
        await using var first = await PushTestClient.ConnectAsync(firstNode);
        var uaid = (string)(await first.HelloAsync())["uaid"]!;
        await first.RegisterAsync(Guid.NewGuid());

        await using var second = await PushTestClient.ConnectAsync(secondNode);
        Assert.Equal(uaid, (string)(await second.HelloAsync(uaid))["uaid"]!);

        Assert.Equal((WebSocketCloseStatus.InternalServerError, "SM"), await first.ExpectCloseAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(WebSocketState.Open, second.State);
    }

    [Fact]
    public async Task ConnectFrontendKilled_PushStill201Fast_AndDeliveredAfterReconnect()
    {
        await _cluster.StartSiloAsync();
        var (doomed, firstWs) = await _cluster.StartConnectAsync();
        var (_, secondWs) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        string uaid, endpoint;
        await using (var client = await PushTestClient.ConnectAsync(firstWs))
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;

            // The grain now holds an observer in a process that is about to vanish.
            await doomed.KillAsync();
        }

        var clock = Stopwatch.StartNew();
        using var response = await _http.PushAsync(endpoint, "while you were away", PushHttp.Aes128Gcm());
        clock.Stop();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the push took {clock.Elapsed}");
        await using var reconnected = await PushTestClient.ConnectAsync(secondWs);
        Assert.Equal(uaid, (string)(await reconnected.HelloAsync(uaid))["uaid"]!);
        Assert.Equal(PushHttp.Base64Url("while you were away"), (string)(await reconnected.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task MismatchedKeys_AreReportedOnTheEndpointHealthRoute()
    {
        _cluster.BaseEnvironment["AUTOEND__CRYPTO_KEYS"] = "[AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=]";
        await _cluster.StartSiloAsync();
        await _cluster.StartConnectAsync();
        var endpoint = await _cluster.StartEndpointAsync();

        var health = await Eventually.WaitAsync(
            async () => await (await _http.GetAsync(new Uri($"http://127.0.0.1:{_cluster.EndpointPort}/health"))).JsonAsync(),
            body => (string?)body["status"] == "ERROR",
            TimeSpan.FromSeconds(30),
            "the endpoint to report the key mismatch");

        Assert.Contains("give crypto_key and crypto_keys the same keys", (string)health["crypto_keys"]!, StringComparison.Ordinal);
        Assert.Contains("Crypto key mismatch", endpoint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitRoles_WithoutKeysOrStore_RefuseToStart()
    {
        var environment = new Dictionary<string, string?>(_cluster.BaseEnvironment);
        environment.Remove("AUTOCONNECT__CRYPTO_KEY");

        await using var process = PushProcess.Start(environment, "connect");
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("crypto_key (AUTOCONNECT__CRYPTO_KEY)", process.Output, StringComparison.Ordinal);
    }
}
