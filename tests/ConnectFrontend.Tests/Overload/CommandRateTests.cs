using System.Net.WebSockets;

namespace Push.ConnectFrontend.Tests.Overload;

/// <summary>Register and unregister commands beyond a connection's rate close it with 1008.</summary>
public sealed class CommandRateTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__COMMAND_RATE_PER_MINUTE"] = "1",
            ["AUTOCONNECT__COMMAND_RATE_BURST"] = "3",
        });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task RegisterAndUnregister_BeyondTheBurst_Closes1008TooManyCommands()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        var channel = Guid.NewGuid();
        await client.RegisterAsync(channel);
        await client.SendAsync(new { messageType = "unregister", channelID = channel.ToString() });
        Assert.Equal(200, (int)(await client.ReceiveAsync())!["status"]!);
        await client.RegisterAsync(Guid.NewGuid());

        await client.SendAsync(new { messageType = "register", channelID = Guid.NewGuid().ToString() });

        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "TooManyCommands"), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task OtherCommands_DoNotCountAgainstTheRate()
    {
        await using var client = await _host.ConnectAsync();
        await client.HelloAsync();
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync(new { messageType = "nack", version = "v" });
            await client.SendAsync(new { messageType = "urgency", min = "high" });
            Assert.Equal(200, (int)(await client.ReceiveAsync())!["status"]!);
        }

        Assert.Equal(200, (int)(await client.RegisterAsync(Guid.NewGuid()))["status"]!);
    }
}
