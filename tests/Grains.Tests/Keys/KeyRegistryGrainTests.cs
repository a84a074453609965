using Push.Grains.Messages;

namespace Push.Grains.Tests.Keys;

[Collection(ClusterCollection.Name)]
public sealed class KeyRegistryGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReportAsync_ReturnsEveryLiveReport()
    {
        var registry = fixture.Grains.GetGrain<IKeyRegistryGrain>(Random.Shared.NextInt64());
        var now = DateTimeOffset.UtcNow;
        await registry.ReportAsync(new KeyReport("a", KeyReport.ConnectRole, ["k1"], now));
        var reports = await registry.ReportAsync(new KeyReport("b", KeyReport.EndpointRole, ["k1", "k0"], now));

        Assert.Equal(["a", "b"], reports.Select(r => r.ProcessId).Order());
    }

    [Fact]
    public async Task ReportAsync_DropsReportsOfProcessesLongGone()
    {
        var registry = fixture.Grains.GetGrain<IKeyRegistryGrain>(Random.Shared.NextInt64());
        await registry.ReportAsync(new KeyReport("old", KeyReport.ConnectRole, ["k9"], DateTimeOffset.UtcNow.AddMinutes(-10)));

        var reports = await registry.ReportAsync(new KeyReport("new", KeyReport.EndpointRole, ["k1"], DateTimeOffset.UtcNow));

        Assert.Equal("new", Assert.Single(reports).ProcessId);
    }

    [Fact]
    public void FindMismatch_ConnectKeyUnknownToAnEndpoint_SaysWhich()
    {
        var now = DateTimeOffset.UtcNow;
        KeyReport[] agree = [new("c", KeyReport.ConnectRole, ["new", "old"], now), new("e", KeyReport.EndpointRole, ["old", "new"], now)];
        KeyReport[] differ = [new("c", KeyReport.ConnectRole, ["other"], now), new("e", KeyReport.EndpointRole, ["old", "new"], now)];

        Assert.Null(KeyReport.FindMismatch(agree));
        var problem = KeyReport.FindMismatch(differ);
        Assert.NotNull(problem);
        Assert.Contains("other", problem, StringComparison.Ordinal);
    }
}
