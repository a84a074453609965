using Push.Testing;
using Push.Testing.Streams;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// The store (Redis, or the embedded Garnet) of a cluster of separate processes stopped for ten
/// seconds mid-stream: in that window pushes are refused, none is answered 201 without being stored,
/// everything accepted is delivered, and full service returns by itself.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private RestartableStore _store = null!;
    private ProcessCluster _cluster = null!;
    private List<StreamReceiver> _receivers = [];

    public async Task InitializeAsync()
    {
        _store = await RestartableStore.StartAsync();
        _cluster = new ProcessCluster(_store.Dsn);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_receivers.Select(r => r.DisposeAsync().AsTask()));
        // The store must be up while Push shuts down, or each process waits out its store timeouts.
        await _store.StartAgainIfStoppedAsync();
        await _cluster.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task StoreStoppedTenSeconds_OnlyRefusalsMeanwhile_ThenFullService()
    {
        await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        _receivers = await StreamReceiver.StartManyAsync([ws], 200);
        using var stream = new PushStream(_receivers, pushesPerSecond: 100);

        var run = stream.RunAsync(TimeSpan.FromSeconds(40));
        await FailoverTests.WaitForClockAsync(stream, TimeSpan.FromSeconds(5));
        await _store.StopAsync();
        var stoppedAt = stream.Clock.Elapsed;
        await FailoverTests.WaitForClockAsync(stream, stoppedAt + Outage);
        await _store.StartAgainAsync();
        var restartedAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(TimeSpan.FromSeconds(120));

        // Sent and answered while the store was down: nothing of that can have been stored.
        var duringOutage = stream.Outcomes.Where(o => o.SentAt > stoppedAt && o.AnsweredAt < restartedAt).ToList();
        var lastRefused = stream.LastRefused();
        output.WriteLine($"{_store.Describe}: {stream.Summary()}; store stopped at {stoppedAt:g}, back at {restartedAt:g}; " +
            $"{duringOutage.Count} pushes sent and answered in the outage ({duringOutage.Count(o => o.Status == System.Net.HttpStatusCode.ServiceUnavailable)} with 503); " +
            $"last refusal sent {lastRefused?.SentAt - restartedAt:g} after the store was back; all delivered at {deliveredAt:g}");
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, o => Assert.False(o.Accepted, $"push {o.Id} got 201 at {o.AnsweredAt:g} while the store was down"));
        Assert.All(duringOutage.Where(o => o.Status is not null), o => Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, o.Status));
        FailoverTests.AssertFullServiceFrom(stream, restartedAt + TimeSpan.FromSeconds(15));
    }
}
