using System.Net;
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
            body => Value(body, "push_notifications_acked_total") == 1 && Value(body, "push_connections_closed_total", "reason=\"client\"") == 1,
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
        Assert.DoesNotContain("uaid", text, StringComparison.OrdinalIgnoreCase);

        foreach (var publicPort in new[] { _host.WebSocketUri.Port, _host.EndpointUri.Port })
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{publicPort}/metrics"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    /// <summary>The value of the series <paramref name="name"/> whose labels include all of <paramref name="labels"/>, or null.</summary>
    private static double? Value(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                continue;
            }

            if (labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
