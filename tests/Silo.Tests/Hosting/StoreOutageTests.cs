using System.Net;
using Push.Testing;
using Push.Testing.Streams;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// The store (Redis, or the embedded Garnet) of a cluster of separate processes stopped for ten
/// seconds mid-stream while the frontends keep running: in that window every push is answered 503
/// within a second and the silos' health routes say so, none is answered 201 without being stored,
/// nothing refused is ever delivered, everything accepted is, and full service returns by itself.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HealthWait = TimeSpan.FromSeconds(15);
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
    public async Task StoreStoppedTenSeconds_RefusedWithinASecondMeanwhile_NothingRefusedDelivered_ThenFullService()
    {
        var silos = new[] { await _cluster.StartSiloAsync(), await _cluster.StartSiloAsync() };
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        _receivers = await StreamReceiver.StartManyAsync([ws], 200);
        using var stream = new PushStream(_receivers, pushesPerSecond: 100);

        var run = stream.RunAsync(TimeSpan.FromSeconds(40));
        await FailoverTests.WaitForClockAsync(stream, TimeSpan.FromSeconds(5));
        await _store.StopAsync();
        var stoppedAt = stream.Clock.Elapsed;
        await WaitForSilosAsync(silos, "ERROR");
        await FailoverTests.WaitForClockAsync(stream, stoppedAt + Outage);
        var restartingAt = stream.Clock.Elapsed;
        await _store.StartAgainAsync();
        var restartedAt = stream.Clock.Elapsed;
        await WaitForSilosAsync(silos, "OK");
        var healthyAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(TimeSpan.FromSeconds(120));

        var sentInOutage = stream.Outcomes.Where(o => o.SentAt > stoppedAt && o.SentAt < restartedAt).ToList();
        // Answered while the store was down: nothing of that can have been stored.
        var answeredInOutage = sentInOutage.Where(o => o.AnsweredAt < restartedAt).ToList();
        // Answer times of pushes answered before the restart began: an embedded Garnet recovering in this
        // test process takes its CPU, and would delay the reading of answers, not the answers.
        var timed = sentInOutage.Where(o => o.SentAt < restartingAt - AnswerLimit).ToList();
        var answerTimes = timed.Select(o => o.AnsweredAt - o.SentAt).ToList();
        var p99 = PushStream.Percentile(answerTimes, 99);
        var slowest = answerTimes.DefaultIfEmpty().Max();
        var firstAfterHealthy = stream.FirstSentAfter(healthyAt);
        var late = stream.DeliveredButNotAccepted();
        output.WriteLine($"{_store.Describe}: {stream.Summary()}; store stopped at {stoppedAt:g}, back at {restartedAt:g}, silos healthy at {healthyAt:g}; " +
            $"{sentInOutage.Count} pushes sent in the outage ({sentInOutage.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} with 503; answered in p50 {PushStream.Percentile(answerTimes, 50).TotalMilliseconds:0} ms, p99 {p99.TotalMilliseconds:0} ms, max {slowest.TotalMilliseconds:0} ms); " +
            $"first push after healthy: {firstAfterHealthy?.Status}; delivered without a 201: {late.Count}; all delivered at {deliveredAt:g}");
        Assert.NotEmpty(answeredInOutage);
        Assert.All(answeredInOutage, o => Assert.False(o.Accepted, $"push {o.Id} got 201 at {o.AnsweredAt:g} while the store was down"));
        Assert.All(answeredInOutage, o => Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status));
        Assert.All(sentInOutage, o => Assert.NotNull(o.Status));
        // Five processes and this test's sender share two cores: a refusal is answered within a second,
        // but a scheduling pause of any of them can hold a few answers longer.
        Assert.True(p99 <= AnswerLimit, $"refusals were answered in {p99.TotalMilliseconds:0} ms at p99");
        Assert.True(slowest <= 2 * AnswerLimit, $"the slowest refusal took {slowest.TotalMilliseconds:0} ms");
        Assert.True(firstAfterHealthy?.Accepted, $"the first push after the silos were healthy again was answered {firstAfterHealthy?.Status}");
        Assert.Empty(late);
        FailoverTests.AssertFullServiceFrom(stream, restartedAt + TimeSpan.FromSeconds(15));
    }

    private static Task WaitForSilosAsync(IReadOnlyList<PushProcess> silos, string status) =>
        Eventually.WaitAsync(
            async () => (await Task.WhenAll(silos.Select(s => s.HealthStatusAsync()))).All(s => s == status),
            all => all,
            HealthWait,
            $"every silo's health route to say {status}");
}
