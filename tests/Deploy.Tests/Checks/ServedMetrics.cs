using System.Net;
using Push.Testing;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// What a real Push process serves on <c>/metrics</c> (the all role on the test store, so Orleans,
/// the runtime and ASP.NET Core report as they do in production) once it has done what the
/// dashboard and alerts watch: a WebSocket session, a stored, delivered and acknowledged push, and
/// a refused one. Push's own counters appear only once counted, so those that did not fire here
/// are taken from its meters (<see cref="PrometheusNames"/>).
/// </summary>
public sealed class ServedMetrics : IAsyncLifetime
{
    /// <summary>Series Prometheus makes itself for every target.</summary>
    private static readonly HashSet<string> PrometheusOwn = new(StringComparer.Ordinal) { "up" };

    public IReadOnlyList<PrometheusText.Sample> Samples { get; private set; } = [];

    public bool Serves(string series) =>
        PrometheusOwn.Contains(series) || PrometheusNames.Push.Contains(series) || Samples.Any(s => s.Name == series);

    /// <summary>The labels the process puts on <paramref name="series"/>.</summary>
    public IReadOnlySet<string> LabelsOf(string series) =>
        Samples.Where(s => s.Name == series).SelectMany(s => s.Labels.Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What is wrong with a query: series Push does not serve, and labels that neither those series
    /// nor the scrape (<paramref name="targetLabels"/>) carry; <c>le</c> is every histogram bucket's.
    /// </summary>
    public IEnumerable<string> Problems(string query, IReadOnlySet<string> targetLabels)
    {
        var series = PromQl.Series(query);
        foreach (var name in series.Where(s => !Serves(s)))
        {
            yield return $"{name} is not served: {query}";
        }

        var known = series.SelectMany(LabelsOf).Concat(targetLabels).Append("le").ToHashSet(StringComparer.Ordinal);
        foreach (var label in PromQl.Labels(query).Where(l => !known.Contains(l)))
        {
            yield return $"label {label} is on none of {string.Join(", ", series)}: {query}";
        }
    }

    public async Task InitializeAsync()
    {
        using var data = new TempDirectory();
        using var http = new HttpClient();
        await using var host = await TestHost.StartAsync(data.Path);
        await using (var client = await host.ConnectAsync())
        {
            await client.HelloAsync();
            var channel = Guid.NewGuid();
            var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
            using (var accepted = await http.PushAsync(endpoint, "served", PushHttp.Aes128Gcm()))
            {
                Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            }

            var notification = await client.NotificationAsync();
            await client.AckAsync(channel.ToString(), (string)notification["version"]!);
            using (await http.PushAsync(host.EndpointUri + "wpush/v1/unknown", "x", PushHttp.Aes128Gcm()))
            {
            }
        }

        var text = await Eventually.WaitAsync(
            () => http.GetStringAsync(new Uri(host.InternalUri, "metrics")),
            body => PrometheusText.Value(body, "push_connections_closed_total") is not null && PrometheusText.Value(body, "push_notifications_acked_total") is not null,
            TimeSpan.FromSeconds(15),
            "the metrics of a round trip");
        Samples = PrometheusText.Parse(text);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The tests that check queries against <see cref="ServedMetrics"/> share one process.</summary>
[CollectionDefinition(Name)]
public sealed class ServedMetricsCollection : ICollectionFixture<ServedMetrics>
{
    public const string Name = "served metrics";
}
