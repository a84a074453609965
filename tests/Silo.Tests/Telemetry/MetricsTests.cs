using System.Net;
using Push.Shared;
using Push.Testing;

namespace Push.Silo.Tests.Telemetry;

/// <summary>Push's metrics after a round trip, on the internal port only.</summary>
[Collection(Push.Silo.Tests.Hosting.ProcessClusterCollection.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Scrape_AfterARoundTrip_ShowsPushMetricsOnTheInternalPortOnly()
    {
        await using (var client = await _host.ConnectAsync())
        {
            await client.HelloAsync();
            var channel = Guid.NewGuid();
            var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
            using (var response = await _http.PushAsync(endpoint, "metered", PushHttp.Aes128Gcm()))
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            var notification = await client.NotificationAsync();
            await client.AckAsync(channel.ToString(), (string)notification["version"]!);
            using (await _http.PushAsync(_host.EndpointUri + "wpush/v1/bogus", "x", PushHttp.Aes128Gcm()))
            {
            }
        }

        var text = await Eventually.WaitAsync(
            async () => await _http.GetStringAsync(new Uri(_host.InternalUri, "metrics")),
            body => Value(body, "push_notifications_acked_total") == 1 && Value(body, "push_connections_closed_total", "reason=\"client\"") == 1
                && Value(body, "http_server_request_duration_seconds_count", "http_response_status_code=\"201\"") == 1,
            TimeSpan.FromSeconds(15),
            "the metrics of the round trip");

        Assert.Equal(1, Value(text, "push_registers_total"));
        Assert.Equal(2, Value(text, "push_notifications_received_total"));
        Assert.Equal(1, Value(text, "push_notifications_accepted_total"));
        Assert.Equal(1, Value(text, "push_notifications_stored_total"));
        Assert.Equal(1, Value(text, "push_notifications_delivered_total", "source=\"live\""));
        Assert.Equal(1, Value(text, "push_errors_total", "errno=\"102\"", "status=\"404\""));
        Assert.Equal(1, Value(text, "push_hellos_total", "kind=\"new\""));
        Assert.Equal(1, Value(text, "push_delivery_latency_milliseconds_count", "source=\"live\""));
        Assert.Equal(0, Value(text, "push_connections"));
        Assert.Equal(1, Value(text, "push_stored_queue_length_count"));
        Assert.Equal(1, Value(text, "push_build_info", $"version=\"{ServiceVersion.Current}\"", $"commit=\"{ServiceVersion.Commit}\""));
        Assert.DoesNotContain("uaid", text, StringComparison.OrdinalIgnoreCase);

        // ASP.NET Core's and Kestrel's meters: the push answered 201, and both public ports' connections. The
        // WebSocket handshake is taken straight off the connection, so it is no HTTP request (push_connections counts sessions).
        Assert.Equal(1, Value(text, "http_server_request_duration_seconds_count", "http_response_status_code=\"201\"", "url_scheme=\"http\""));
        Assert.Null(Value(text, "http_server_request_duration_seconds_count", "http_response_status_code=\"101\""));
        Assert.NotNull(Value(text, "kestrel_active_connections", $"server_port=\"{_host.WebSocketUri.Port}\""));
        Assert.NotNull(Value(text, "kestrel_active_connections", $"server_port=\"{_host.EndpointUri.Port}\""));

        foreach (var publicPort in new[] { _host.WebSocketUri.Port, _host.EndpointUri.Port })
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{publicPort}/metrics"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Scrape_AfterSavesToAnOfflineUser_ShowsTheQueueLengthAtEachSave()
    {
        string endpoint;
        await using (var client = await _host.ConnectAsync())
        {
            await client.HelloAsync();
            endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        }

        for (var i = 0; i < 3; i++)
        {
            using var response = await _http.PushAsync(endpoint, "queued", PushHttp.Aes128Gcm());
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var text = await _http.GetStringAsync(new Uri(_host.InternalUri, "metrics"));

        // The queue held 1, then 2, then 3 messages right after each save.
        Assert.Equal(1, Value(text, "push_stored_queue_length_bucket", "le=\"1\""));
        Assert.Equal(2, Value(text, "push_stored_queue_length_bucket", "le=\"2\""));
        Assert.Equal(3, Value(text, "push_stored_queue_length_bucket", "le=\"5\""));
        Assert.Equal(6, Value(text, "push_stored_queue_length_sum"));
        Assert.Equal(3, Value(text, "push_stored_queue_length_count"));
    }

    private static double? Value(string exposition, string name, params string[] labels) => PrometheusText.Value(exposition, name, labels);
}
