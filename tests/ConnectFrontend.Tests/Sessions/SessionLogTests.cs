using Push.Shared.Logging;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>One summary line per connection at close, with the UAID hashed and never in clear.</summary>
public sealed class SessionLogTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path, logs: _logs);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Close_LogsOneSessionSummaryWithTheUaidHashed()
    {
        string uaid;
        await using (var client = await _host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            await client.RegisterAsync(Guid.NewGuid());
        }

        var hash = LogIds.Hash(Guid.ParseExact(uaid, "N"));
        var summary = await Eventually.WaitAsync(
            () => Task.FromResult(_logs.Entries.Where(e => e.Message.StartsWith("Session ", StringComparison.Ordinal) && e.Message.Contains(hash, StringComparison.Ordinal)).ToList()),
            lines => lines.Count > 0,
            TimeSpan.FromSeconds(10),
            "the session summary");

        var line = Assert.Single(summary).Message;
        Assert.Contains("registers=1", line, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(uaid, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Close_TakeoverAndStateMachineError_AreLoggedApartThoughBothSendSM()
    {
        await using var first = await _host.ConnectAsync();
        var uaid = (string)(await first.HelloAsync())["uaid"]!;
        await first.RegisterAsync(Guid.NewGuid());
        await using var second = await _host.ConnectAsync();
        await second.HelloAsync(uaid);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus.InternalServerError, "SM"), await first.ExpectCloseAsync());

        await second.SendTextAsync("{\"messageType\":\"hello\"}");
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus.InternalServerError, "SM"), await second.ExpectCloseAsync());

        var hash = LogIds.Hash(Guid.ParseExact(uaid, "N"));
        var reasons = await Eventually.WaitAsync(
            () => Task.FromResult(_logs.Entries
                .Where(e => e.Message.StartsWith("Session ", StringComparison.Ordinal) && e.Message.Contains(hash, StringComparison.Ordinal))
                .Select(e => e.Message[(e.Message.IndexOf("disconnect_reason=", StringComparison.Ordinal) + 18)..].Split(' ')[0])
                .Order(StringComparer.Ordinal)
                .ToList()),
            lines => lines.Count == 2,
            TimeSpan.FromSeconds(10),
            "both session summaries");

        Assert.Equal(["Ghost", "SM"], reasons);
    }
}
