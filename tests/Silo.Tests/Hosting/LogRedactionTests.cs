using System.Net;
using Push.Shared.Logging;
using Push.Testing;
using Push.Testing.Streams;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// A UAID is the secret that lets a client take over a user's connection, and the runtime names a
/// user's grain by it (<c>client/&lt;uaid&gt;</c>) in its own lines and in its exceptions. A real
/// process logging at every level, runtime included, through failed pushes and session errors prints
/// no user or channel id in any form, in either log format: only their hashes.
/// </summary>
public sealed class LogRedactionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private RestartableStore _store = null!;

    public async Task InitializeAsync() => _store = await RestartableStore.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task EveryLevelThroughPushAndSessionErrors_NoLineCarriesAUserOrChannelId(string humanLogs)
    {
        var environment = TestHost.NewEnvironment(_data.Path, new Dictionary<string, string?>
        {
            ["PUSH__DB_DSN"] = _store.Dsn,
            ["AUTOCONNECT__HUMAN_LOGS"] = humanLogs,
            ["AUTOEND__HUMAN_LOGS"] = humanLogs,
            // A rule of the console provider itself outranks every filter Push sets: all of Orleans,
            // ASP.NET Core and Push at Trace.
            ["Logging__Console__LogLevel__Default"] = "Trace",
        });
        var wsPort = int.Parse(environment["AUTOCONNECT__PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        await using var push = PushProcess.Start(environment);
        await push.WaitUntilHealthyAsync(wsPort, StartTimeout);
        await using var client = await PushTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{wsPort}/"));
        var uaid = Guid.ParseExact((string)(await client.HelloAsync())["uaid"]!, "N");
        var channel = Guid.NewGuid();
        var endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        using (var stored = await _http.PushAsync(endpoint, "stored", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }

        var version = (string)(await client.NotificationAsync())["version"]!;

        await _store.StopAsync();
        // A push error and a session error (the ack and the unregister fail) while the store is away.
        using (var refused = await _http.PushAsync(endpoint, "refused", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        await client.AckAsync(channel.ToString(), version);
        await Eventually.WaitAsync(() => push.Output.Contains("Grain call", StringComparison.Ordinal), Wait, "the ack to fail");
        await _store.StartAgainAsync();
        await client.CloseAsync();
        await push.KillAsync();

        var lines = push.Output;
        // The runtime's lines that name the user's grain are there, masked: the check below has teeth.
        var masked = "client/" + LogRedaction.Marker + LogIds.Hash(uaid);
        output.WriteLine($"{lines.Length} characters of output; lines naming the grain:");
        output.WriteLine(string.Join('\n', lines.Split('\n').Where(l => l.Contains(masked, StringComparison.Ordinal)).Take(3)));
        Assert.Contains(masked, lines, StringComparison.Ordinal);
        foreach (var id in new[] { uaid, channel })
        {
            Assert.DoesNotContain(id.ToString("N"), lines, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.ToString("D"), lines, StringComparison.OrdinalIgnoreCase);
        }
    }
}
