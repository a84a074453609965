using Push.Silo.Commands;
using Push.Testing;

namespace Push.Silo.Tests.Commands;

public sealed class TryCommandTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task RunAsync_RunningPush_SubscribesPushesReceivesAndPrintsTheCurlLine()
    {
        await using var host = await TestHost.StartAsync(_data.Path);
        using var output = new StringWriter();

        var code = await TryCommand.RunAsync([host.WebSocketUri.ToString()], output, TimeProvider.System);

        Assert.True(code == 0, output.ToString());
        Assert.Contains("Pushed to it: 201 Created", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"curl -X POST -H 'TTL: 60' {host.EndpointUri}wpush/", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NothingListening_SaysWhereAndFails()
    {
        var url = $"ws://127.0.0.1:{FreePorts.Next()}/";
        using var output = new StringWriter();

        var code = await TryCommand.RunAsync([url], output, TimeProvider.System);

        Assert.Equal(1, code);
        Assert.StartsWith($"push: try failed at {url}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NotAUrl_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TryCommand.RunAsync(["push.example.com"], TextWriter.Null, TimeProvider.System));
    }
}
