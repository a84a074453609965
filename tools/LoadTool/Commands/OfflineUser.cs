using Push.LoadTool.Cli;
using Push.LoadTool.Protocol;

namespace Push.LoadTool.Commands;

/// <summary>A user that registered one channel and went away: its UAID and where to push to it.</summary>
public sealed record OfflineUser(string Uaid, Uri PushUrl)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects, says hello, registers a channel and closes the socket.</summary>
    public static async Task<OfflineUser> CreateAsync(Target target, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Timeout);
        await using var client = await PushClient.ConnectAsync(target.WebSocket, timeout.Token);
        var uaid = await client.HelloAsync(null, timeout.Token);
        var endpoint = await client.RegisterAsync(timeout.Token);
        await client.CloseAsync(TimeSpan.FromSeconds(5));
        return new OfflineUser(uaid, target.PushUrl(endpoint));
    }

    /// <summary>Comes back as this user; the caller starts the receive loop.</summary>
    public async Task<PushClient> ReconnectAsync(Target target, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Timeout);
        var client = await PushClient.ConnectAsync(target.WebSocket, timeout.Token);
        try
        {
            if (await client.HelloAsync(Uaid, timeout.Token) != Uaid)
            {
                throw new ProtocolException("the service did not recognise the returning UAID (a new one was issued)");
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
