using System.Net;
using Push.Testing;

namespace Push.Silo.Tests.Import;

/// <summary>
/// <c>import-autopush</c> against a real redis-server filled as autopush-rs fills it, then Push serving
/// the result: old UAIDs, channels, pending messages and endpoint URLs all keep working.
/// </summary>
public sealed class ImportAutopushTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private Filled _filled = null!;

    private AutopushMigration Migration => _filled.Migration;

    public async Task InitializeAsync() => _filled = await Filled.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _filled.DisposeAsync();
    }

    [Fact]
    public async Task Import_AutopushUsers_OldUaidKeepsItsChannelsAndGetsItsPendingMessages()
    {
        var (code, output) = await Migration.ImportAsync();

        Assert.True(code == 0, output);
        Assert.Equal((1, 2, 3), AutopushMigration.Imported(output));
        await using var push = await Migration.StartPushAsync();
        // A sender cancels one pending message with the id autopush gave it.
        using (var deleted = await _http.DeleteAsync(new Uri($"{Migration.EndpointUrl}/m/{_filled.CancelledVersion}")))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await using var client = await Migration.ConnectAsync();
        Assert.Equal(_filled.UaidText, (string)(await client.HelloAsync(_filled.UaidText))["uaid"]!);
        var first = await client.NotificationAsync();
        Assert.Equal((_filled.V1Channel.ToString("D"), _filled.FirstVersion, PushHttp.Base64Url("first")),
            ((string)first["channelID"]!, (string)first["version"]!, (string)first["data"]!));
        Assert.Equal("aes128gcm", (string)first["headers"]!["encoding"]!);
        var topic = await client.NotificationAsync();
        Assert.Equal((_filled.V2Channel.ToString("D"), PushHttp.Base64Url("second, with a topic")), ((string)topic["channelID"]!, (string)topic["data"]!));
        await client.AckAsync((string)first["channelID"]!, (string)first["version"]!);
        await client.AckAsync((string)topic["channelID"]!, (string)topic["version"]!);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromSeconds(1)), "a message that was delivered, expired, unsubscribed or cancelled came");

        // The endpoints autopush handed out, v1 and v2 (bound to the sender's VAPID key), still reach the client.
        using (var v1 = await _http.PushAsync(_filled.V1Endpoint, "to v1", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, v1.StatusCode);
        }

        Assert.Equal(PushHttp.Base64Url("to v1"), (string)(await client.NotificationAsync())["data"]!);
        using (var v2 = await _http.PushAsync(_filled.V2Endpoint, "to v2", [.. PushHttp.Aes128Gcm(), ("Authorization", _filled.Vapid.Authorization(Migration.EndpointUrl))]))
        {
            Assert.Equal(HttpStatusCode.Created, v2.StatusCode);
        }

        Assert.Equal(PushHttp.Base64Url("to v2"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task Import_MalformedAndStaleRecords_AreSkippedAndCountedWithTheirReason()
    {
        var (code, output) = await Migration.ImportAsync();

        Assert.True(code == 0, output);
        Assert.Contains("Skipped 3 users:", output, StringComparison.Ordinal);
        Assert.Equal(1, AutopushMigration.Count(output, "not WebPush users"));
        Assert.Equal(2, AutopushMigration.Count(output, "with a record that is not autopush's (bad JSON, or a UAID"));
        Assert.Contains("Skipped 1 channel:\n  1 not a channel id", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Skipped 4 messages:", output, StringComparison.Ordinal);
        Assert.Equal(1, AutopushMigration.Count(output, "already delivered and acknowledged"));
        Assert.Equal(1, AutopushMigration.Count(output, "expired"));
        Assert.Equal(1, AutopushMigration.Count(output, "for a channel the user no longer has"));
        Assert.Equal(1, AutopushMigration.Count(output, "with a record that is not autopush's (bad JSON, missing fields"));
    }

    [Fact]
    public async Task Import_Anything_LeavesTheSourceExactlyAsItWas()
    {
        var before = await Migration.Autopush.SnapshotAsync();

        var (code, output) = await Migration.ImportAsync();

        Assert.True(code == 0, output);
        Assert.Equal(before, await Migration.Autopush.SnapshotAsync());
    }

    [Fact]
    public async Task Import_RunAgainAfterClientsAcked_ChangesNothingAndRedeliversNothing()
    {
        Assert.Equal(0, (await Migration.ImportAsync()).ExitCode);
        var push = await Migration.StartPushAsync();
        await using (var client = await Migration.ConnectAsync())
        {
            await client.HelloAsync(_filled.UaidText);
            for (var i = 0; i < 3; i++)
            {
                var message = await client.NotificationAsync();
                await client.AckAsync((string)message["channelID"]!, (string)message["version"]!);
            }
        }

        await AutopushMigration.StopAsync(push);
        await push.DisposeAsync();

        var (code, output) = await Migration.ImportAsync();

        Assert.True(code == 0, output);
        Assert.Equal((0, 0, 0), AutopushMigration.Imported(output));
        Assert.Equal(1, AutopushMigration.Count(output, "already in Push"));
        await using var again = await Migration.StartPushAsync();
        await using var reconnected = await Migration.ConnectAsync();
        Assert.Equal(_filled.UaidText, (string)(await reconnected.HelloAsync(_filled.UaidText))["uaid"]!);
        Assert.True(await reconnected.NothingWithinAsync(TimeSpan.FromSeconds(1)), "an acked message came back after the second import");
    }

    [Fact]
    public async Task Import_DryRun_CountsTheSameAndWritesNothing()
    {
        var (code, output) = await Migration.ImportAsync("--dry-run");

        Assert.True(code == 0, output);
        Assert.Equal((1, 2, 3), AutopushMigration.Imported(output));
        Assert.Contains("would be imported", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Migration.Data.Path));
        // Had it written the user, the real import would find it already there.
        var (realCode, real) = await Migration.ImportAsync();
        Assert.True(realCode == 0, real);
        Assert.Equal((1, 2, 3), AutopushMigration.Imported(real));
    }
}
