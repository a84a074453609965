namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>A WebSocket register beyond <c>max_channels</c> (here 2) is refused in its reply.</summary>
public sealed class RegisterLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["PUSH__MAX_CHANNELS"] = "2" });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Register_BeyondTheLimit_RepliesStatus400AndKeepsTheSocket()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var first = Guid.NewGuid();
        await client.RegisterAsync(first);
        await client.RegisterAsync(Guid.NewGuid());

        var refused = await client.RegisterAsync(Guid.NewGuid());
        var again = await client.RegisterAsync(first);

        Assert.Equal(400, (int)refused["status"]!);
        Assert.Equal(string.Empty, (string)refused["pushEndpoint"]!);
        Assert.Equal(200, (int)again["status"]!);
    }
}
