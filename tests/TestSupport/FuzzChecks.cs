using System.Net;
using System.Text.Json;
using Push.Grains;
using Xunit;

namespace Push.Testing;

/// <summary>
/// What every fuzz run checks around its load: a bystander user whose stored messages must come out
/// exactly as they went in, and a normal round trip that must still work afterwards.
/// </summary>
public static class FuzzChecks
{
    /// <summary>An offline user with <paramref name="messages"/> stored pushes; returns its UAID.</summary>
    public static async Task<Guid> CreateBystanderAsync(TestHost host, HttpClient http, int messages)
    {
        string endpoint;
        string uaid;
        await using (var client = await host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
        }

        for (var i = 0; i < messages; i++)
        {
            using var response = await http.PushAsync(endpoint, $"bystander message {i}", PushHttp.Aes128Gcm("86400"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var id = Guid.ParseExact(uaid, "N");
        var stored = await SnapshotAsync(host, id);
        Assert.Equal(messages, JsonDocument.Parse(stored).RootElement.GetArrayLength());
        return id;
    }

    /// <summary>The user's stored queue, every field, as JSON text to compare before and after.</summary>
    public static async Task<string> SnapshotAsync(TestHost host, Guid uaid)
    {
        var grains = (IGrainFactory)host.Host.Services.GetService(typeof(IGrainFactory))!;
        var stored = await grains.GetGrain<IClientGrain>(uaid).FetchAsync(0, 10_000);
        return JsonSerializer.Serialize(stored);
    }

    /// <summary>Register, push, receive the same bytes, ack: the service still does its job.</summary>
    public static async Task RoundTripAsync(TestHost host, HttpClient http)
    {
        await using var client = await host.ConnectAsync();
        Assert.Equal(200, (int)(await client.HelloAsync())["status"]!);
        var channel = Guid.NewGuid();
        var register = await client.RegisterAsync(channel);
        Assert.Equal(200, (int)register["status"]!);

        using var response = await http.PushAsync((string)register["pushEndpoint"]!, "round trip", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var notification = await client.NotificationAsync();
        Assert.Equal(channel.ToString(), (string)notification["channelID"]!);
        Assert.Equal(PushHttp.Base64Url("round trip"), (string)notification["data"]!);
        await client.AckAsync(channel.ToString(), (string)notification["version"]!);

        var uaid = Guid.ParseExact(client.Uaid!, "N");
        await Eventually.WaitAsync(() => SnapshotAsync(host, uaid), stored => stored == "[]", TimeSpan.FromSeconds(10), "the acked message to leave the store");
    }

    /// <summary>Managed memory after a full collection, in bytes.</summary>
    public static long ManagedMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
