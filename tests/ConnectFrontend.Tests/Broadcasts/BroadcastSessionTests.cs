namespace Push.ConnectFrontend.Tests.Broadcasts;

/// <summary>Broadcasts from a Megaphone source, announced at hello, on subscribe and at ping ticks.</summary>
public sealed class BroadcastSessionTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private MegaphoneStub _megaphone = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _megaphone = await MegaphoneStub.StartAsync(new Dictionary<string, string> { ["kinto:123"] = "ver1" });
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__MEGAPHONE_API_URL"] = _megaphone.Url,
            ["AUTOCONNECT__MEGAPHONE_POLL_INTERVAL"] = "1",
            ["AUTOCONNECT__AUTO_PING_INTERVAL"] = "0.5",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _megaphone.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Hello_OldVersion_GetsTheCurrentOneThenLaterChanges()
    {
        await using var client = await _host.ConnectAsync();
        await client.SendAsync(new { messageType = "hello", broadcasts = new Dictionary<string, string> { ["kinto:123"] = "ver0" } });
        var hello = await client.ReceiveAsync();
        Assert.Equal("ver1", (string)hello!["broadcasts"]!["kinto:123"]!);

        _megaphone.Broadcasts["kinto:123"] = "ver2";

        var broadcast = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("broadcast", (string)broadcast!["messageType"]!);
        Assert.Equal("ver2", (string)broadcast["broadcasts"]!["kinto:123"]!);
    }

    [Fact]
    public async Task Hello_UnknownId_IsReportedAsError()
    {
        await using var client = await _host.ConnectAsync();
        await client.SendAsync(new { messageType = "hello", broadcasts = new Dictionary<string, string> { ["kinto:456"] = "ver1" } });

        var hello = await client.ReceiveAsync();

        Assert.Equal("Broadcast not found", (string)hello!["broadcasts"]!["errors"]!["kinto:456"]!);
    }

    [Fact]
    public async Task Hello_CurrentVersion_HasNothingToSay()
    {
        await using var client = await _host.ConnectAsync();
        await client.SendAsync(new { messageType = "hello", broadcasts = new Dictionary<string, string> { ["kinto:123"] = _megaphone.Broadcasts["kinto:123"] } });

        var hello = await client.ReceiveAsync();

        Assert.Empty(hello!["broadcasts"]!.AsObject());
    }

    [Fact]
    public async Task BroadcastSubscribe_ReportsVersionsAndErrors()
    {
        await using var client = await _host.ConnectAsync();
        var hello = await client.HelloAsync();
        Assert.Empty(hello["broadcasts"]!.AsObject());

        await client.SendAsync(new { messageType = "broadcast_subscribe", broadcasts = new Dictionary<string, string> { ["kinto:123"] = "ver0", ["kinto:456"] = "ver0" } });
        var reply = await client.ReceiveAsync();

        Assert.Equal("broadcast", (string)reply!["messageType"]!);
        Assert.Equal(_megaphone.Broadcasts["kinto:123"], (string)reply["broadcasts"]!["kinto:123"]!);
        Assert.Equal("Broadcast not found", (string)reply["broadcasts"]!["errors"]!["kinto:456"]!);
    }
}
