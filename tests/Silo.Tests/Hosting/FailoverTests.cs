using Push.Testing;
using Push.Testing.Streams;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// Push as separate processes under a steady open-loop stream of pushes while a process dies: every
/// push answered 201 reaches its client, nothing acked comes again, and service resumes by itself.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(120);
    private ProcessCluster _cluster = null!;
    private readonly List<StreamReceiver> _receivers = [];

    public Task InitializeAsync()
    {
        _cluster = new ProcessCluster();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_receivers.Select(r => r.DisposeAsync().AsTask()));
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SiloKilledMidStream_EveryAcceptedPushArrivesExactlyOnce()
    {
        var doomed = await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        var receivers = await StartReceiversAsync([ws], 1000);
        using var stream = new PushStream(receivers, pushesPerSecond: 200);

        var run = stream.RunAsync(TimeSpan.FromSeconds(20));
        await WaitForClockAsync(stream, TimeSpan.FromSeconds(5));
        await doomed.KillAsync();
        var killedAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(DeliveryTimeout);

        var firstAccepted = stream.FirstAcceptedSentAfter(killedAt);
        var lastRefused = stream.LastRefused();
        output.WriteLine($"{stream.Summary()}; silo killed at {killedAt:g}; first push sent after it accepted {firstAccepted?.SentAt - killedAt:g} later; " +
            $"last refusal sent {lastRefused?.SentAt - killedAt:g} after the kill; all delivered at {deliveredAt:g}");
        Assert.Equal(0, receivers.Sum(r => r.DuplicatesAfterAck));
        Assert.NotNull(firstAccepted);
        Assert.True(firstAccepted.SentAt - killedAt < TimeSpan.FromSeconds(3), "pushes were not accepted again within seconds of the kill");
        AssertFullServiceFrom(stream, killedAt + TimeSpan.FromSeconds(12));
    }

    /// <summary>
    /// Split mode under 300 pushes/s: users whose grain lived on the killed silo get their pushes within
    /// seconds, because every session renews with its grain as soon as the silo is gone instead of at its
    /// 30 s renewal (the test that shows the frontend listens to the cluster).
    /// </summary>
    [Fact]
    public async Task SiloKilled_TwoFrontends_PushesReachTheirClientsWithin5sAtP99()
    {
        var doomed = await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        var (_, firstWs) = await _cluster.StartConnectAsync();
        var (_, secondWs) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        var receivers = await StartReceiversAsync([firstWs, secondWs], 1000);
        using var stream = new PushStream(receivers, pushesPerSecond: 300);

        var run = stream.RunAsync(TimeSpan.FromSeconds(25));
        await WaitForClockAsync(stream, TimeSpan.FromSeconds(5));
        await doomed.KillAsync();
        var killedAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(DeliveryTimeout);

        var before = stream.DeliveryLatencies(TimeSpan.Zero, killedAt);
        var across = stream.DeliveryLatencies(killedAt, TimeSpan.MaxValue);
        var p99 = PushStream.Percentile(across, 99);
        output.WriteLine($"{stream.Summary()}; silo killed at {killedAt:g}; all delivered at {deliveredAt:g}");
        output.WriteLine($"201 -> delivery before the kill: p50 {PushStream.Percentile(before, 50).TotalMilliseconds:0} ms, p99 {PushStream.Percentile(before, 99).TotalMilliseconds:0} ms; " +
            $"from the kill on ({across.Count} pushes): p50 {PushStream.Percentile(across, 50).TotalMilliseconds:0} ms, p99 {p99.TotalMilliseconds:0} ms, max {across.DefaultIfEmpty().Max().TotalMilliseconds:0} ms");
        for (var second = 0; second < 12; second++)
        {
            var answered = stream.DeliveryLatencies(killedAt + TimeSpan.FromSeconds(second), killedAt + TimeSpan.FromSeconds(second + 1));
            output.WriteLine($"answered kill+{second} s: {answered.Count} pushes, max 201 -> delivery {answered.DefaultIfEmpty().Max().TotalMilliseconds:0} ms");
        }

        Assert.Equal(0, receivers.Sum(r => r.DuplicatesAfterAck));
        Assert.NotEmpty(across);
        Assert.True(p99 <= TimeSpan.FromSeconds(5), $"201 -> delivery p99 across the kill was {p99.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task ConnectFrontendKilledMidStream_ClientsMoveOverAndReceiveEverything()
    {
        await _cluster.StartSiloAsync();
        var (doomed, firstWs) = await _cluster.StartConnectAsync();
        var (_, secondWs) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        var receivers = await StartReceiversAsync([firstWs, secondWs], 1000);
        var moved = receivers.Where(r => r.Frontend == 0).ToList();
        using var stream = new PushStream(receivers, pushesPerSecond: 200);

        var run = stream.RunAsync(TimeSpan.FromSeconds(15));
        await WaitForClockAsync(stream, TimeSpan.FromSeconds(5));
        await doomed.KillAsync();
        var killedAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(DeliveryTimeout);

        output.WriteLine($"{stream.Summary()}; {moved.Count} clients on the killed frontend (killed at {killedAt:g}); all delivered at {deliveredAt:g}");
        Assert.All(stream.Outcomes, o => Assert.True(o.Accepted, $"push {o.Id} sent at {o.SentAt:g} was answered {o.Status?.ToString() ?? "nothing"}"));
        Assert.All(moved, r => Assert.Equal(1, r.Frontend));
        Assert.Equal(0, receivers.Where(r => r.Frontend == 1 && !moved.Contains(r)).Sum(r => r.Reconnects));
    }

    [Fact]
    public async Task SiloAddedThenOneRemovedGracefully_NewSiloTakesActivationsAndNothingIsLost()
    {
        var leaving = await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();
        var receivers = await StartReceiversAsync([ws], 500);
        using var stream = new PushStream(receivers, pushesPerSecond: 200);

        var run = stream.RunAsync(TimeSpan.FromSeconds(45));
        await WaitForClockAsync(stream, TimeSpan.FromSeconds(3));
        var joining = await _cluster.StartSiloAsync();
        var joinedAt = stream.Clock.Elapsed;
        var before = await SiloMetrics.ActivationsAsync(joining.HealthPort);
        // Users who arrive from now on are placed on the new silo too, once the frontends have learnt
        // of its gateway: keep new clients coming until it holds a share of them.
        var late = new List<StreamReceiver>();
        var after = before;
        while (after - before < 30)
        {
            Assert.True(stream.Clock.Elapsed - joinedAt < TimeSpan.FromSeconds(30), $"the new silo took {after - before} activations of {late.Count} new clients in 30 s");
            late.AddRange(await StartReceiversAsync([ws], 25));
            after = await SiloMetrics.ActivationsAsync(joining.HealthPort);
            await Task.Delay(TimeSpan.FromMilliseconds(250)); // pacing: about 100 new users a second
        }

        var tookActivationsAt = stream.Clock.Elapsed;
        stream.AddTargets(late);

        await WaitForClockAsync(stream, tookActivationsAt + TimeSpan.FromSeconds(3));
        leaving.Terminate();
        var terminatedAt = stream.Clock.Elapsed;
        await leaving.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var leftAt = stream.Clock.Elapsed;
        await run;
        var deliveredAt = await stream.WaitForDeliveryAsync(DeliveryTimeout);

        output.WriteLine($"{stream.Summary()}; third silo joined at {joinedAt:g} with {before} activations, {after} at {tookActivationsAt:g} after {late.Count} more clients joined; " +
            $"SIGTERM to a silo at {terminatedAt:g}, exited (code {leaving.ExitCode}) after {leftAt - terminatedAt:g}; all delivered at {deliveredAt:g}");
        var refusedAroundRemoval = stream.Outcomes.Where(o => !o.Accepted && o.SentAt >= terminatedAt - TimeSpan.FromSeconds(1) && o.SentAt <= leftAt + TimeSpan.FromSeconds(5)).ToList();
        output.WriteLine("refusals (sent -> answered): " + string.Join(", ", stream.Outcomes.Where(o => !o.Accepted).OrderBy(o => o.SentAt).Select(o => $"{o.SentAt.TotalSeconds:0.00} -> {o.AnsweredAt.TotalSeconds:0.00}")));
        Assert.Equal(0, leaving.ExitCode);
        Assert.Empty(refusedAroundRemoval);
    }

    private async Task<List<StreamReceiver>> StartReceiversAsync(IReadOnlyList<Uri> frontends, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var receivers = await StreamReceiver.StartManyAsync(frontends, count);
        _receivers.AddRange(receivers);
        if (count >= 100)
        {
            output.WriteLine($"{count} clients connected and registered in {clock.Elapsed:g}");
        }
        return receivers;
    }

    internal static Task WaitForClockAsync(PushStream stream, TimeSpan moment) =>
        Eventually.WaitAsync(() => stream.Clock.Elapsed >= moment, moment + TimeSpan.FromSeconds(60), $"the stream to reach {moment:g}");

    /// <summary>Every push sent from <paramref name="moment"/> on was accepted: the service had fully recovered.</summary>
    internal static void AssertFullServiceFrom(PushStream stream, TimeSpan moment)
    {
        var late = stream.Outcomes.Where(o => o.SentAt >= moment).ToList();
        Assert.NotEmpty(late);
        Assert.All(late, o => Assert.True(o.Accepted, $"push {o.Id} sent at {o.SentAt:g} was answered {o.Status?.ToString() ?? "nothing"}"));
    }
}
