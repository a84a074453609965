using Push.Testing;

namespace Push.Silo.Tests.Import;

/// <summary>A long import reports progress, stops and continues where it stopped, and survives being killed.</summary>
public sealed class ImportAutopushResumeTests : IAsyncLifetime
{
    private const int Users = 1200;
    private AutopushMigration _migration = null!;
    private readonly List<(Guid Uaid, string Data)> _users = [];

    public async Task InitializeAsync()
    {
        _migration = await AutopushMigration.StartAsync();
        var receivedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < Users; i++)
        {
            var (uaid, chid) = (Guid.NewGuid(), Guid.NewGuid());
            await _migration.Autopush.AddUserAsync(uaid);
            await _migration.Autopush.AddChannelAsync(uaid, chid);
            await _migration.Autopush.PushAsync(uaid, chid, receivedAt, ttl: 86400, data: $"message {i}");
            _users.Add((uaid, $"message {i}"));
        }
    }

    public async Task DisposeAsync() => await _migration.DisposeAsync();

    [Fact]
    public async Task Import_StoppedByMaxUsers_TheNextRunContinuesThereAndImportsEachUserOnce()
    {
        var (code, first) = await _migration.ImportAsync("--max-users", "600", "--progress-interval", "0");

        Assert.True(code == 0, first);
        Assert.Contains("Stopped after 600 users (--max-users): run the same command again to continue.", first, StringComparison.Ordinal);
        Assert.Contains("users read (", first, StringComparison.Ordinal);
        Assert.Equal((600, 600, 600), AutopushMigration.Imported(first));

        var (secondCode, second) = await _migration.ImportAsync();

        Assert.True(secondCode == 0, second);
        Assert.Contains("Continuing where an earlier run of this import stopped.", second, StringComparison.Ordinal);
        Assert.Equal((600, 600, 600), AutopushMigration.Imported(second));
        // It started at the batch the first run was in, not at the beginning: only that batch is read again.
        Assert.InRange(AutopushMigration.Count(second, "already in Push"), 0, 599);
        await AssertEveryUserImportedAsync();
    }

    [Fact]
    public async Task Import_KilledMidRun_RunAgainCompletesWithEveryUserAndMessageOnce()
    {
        await using (var killed = _migration.StartImport("--progress-interval", "0"))
        {
            await Eventually.WaitAsync(() => killed.Output.Contains("users read (", StringComparison.Ordinal) || killed.HasExited,
                TimeSpan.FromMinutes(2), "the import's first progress line");
            await killed.KillAsync();
        }

        var (code, output) = await _migration.ImportAsync();

        Assert.True(code == 0, output);
        await AssertEveryUserImportedAsync();
        await using var push = await _migration.StartPushAsync();
        foreach (var (uaid, data) in _users.Take(3).Concat(_users.TakeLast(3)))
        {
            await using var client = await _migration.ConnectAsync();
            Assert.Equal(uaid.ToString("N"), (string)(await client.HelloAsync(uaid.ToString("N")))["uaid"]!);
            Assert.Equal(PushHttp.Base64Url(data), (string)(await client.NotificationAsync())["data"]!);
            Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(300)), "a message came twice");
        }
    }

    [Fact]
    public async Task Import_Sigterm_StopsBetweenUsersSaysSoAndTheNextRunContinues()
    {
        await using (var stopped = _migration.StartImport("--progress-interval", "0"))
        {
            await Eventually.WaitAsync(() => stopped.Output.Contains("users read (", StringComparison.Ordinal) || stopped.HasExited,
                TimeSpan.FromMinutes(2), "the import's first progress line");
            stopped.Terminate();
            await stopped.WaitForExitAsync(TimeSpan.FromMinutes(1));
            if (stopped.ExitCode != 0)
            {
                // Unless it had already finished: stopped, with what it did so far and what to do next.
                Assert.True(stopped.ExitCode == 130, stopped.Output);
                Assert.Contains("Interrupted: run the same command again to continue.", stopped.Output, StringComparison.Ordinal);
            }
        }

        var (code, output) = await _migration.ImportAsync();

        Assert.True(code == 0, output);
        await AssertEveryUserImportedAsync();
    }

    /// <summary>A complete run from the start finds every user already in Push.</summary>
    private async Task AssertEveryUserImportedAsync()
    {
        var (code, output) = await _migration.ImportAsync();
        Assert.True(code == 0, output);
        Assert.DoesNotContain("Continuing", output, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), AutopushMigration.Imported(output));
        Assert.Equal(Users, AutopushMigration.Count(output, "already in Push"));
    }
}
