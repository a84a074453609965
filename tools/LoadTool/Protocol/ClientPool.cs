using System.Diagnostics;

namespace Push.LoadTool.Protocol;

/// <summary>A registered client and the endpoint the service handed it.</summary>
public sealed record RegisteredClient(PushClient Client, string Endpoint);

/// <summary>Opens many clients, a bounded number of handshakes at a time, each with one channel.</summary>
public sealed class ClientPool : IAsyncDisposable
{
    private readonly List<RegisteredClient> _clients = [];

    public IReadOnlyList<RegisteredClient> Clients => _clients;

    public int Failed { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public string? FirstError { get; private set; }

    public static async Task<ClientPool> OpenAsync(
        Uri ws, int count, int concurrency, Action<PushClient, Notification>? onNotification, bool autoAck, Action<int>? progress, CancellationToken cancel,
        Action<PushClient, Notification>? onAcked = null)
    {
        var pool = new ClientPool();
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var sync = new Lock();
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) < count && !cancel.IsCancellationRequested)
            {
                var opened = await OpenOneAsync(ws, onNotification, autoAck, onAcked, cancel);
                lock (sync)
                {
                    if (opened.Client is not null)
                    {
                        pool._clients.Add(opened.Client);
                        progress?.Invoke(pool._clients.Count);
                    }
                    else
                    {
                        pool.Failed++;
                        pool.FirstError ??= opened.Error;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        pool.Elapsed = Stopwatch.GetElapsedTime(started);
        return pool;
    }

    public int OpenCount() => _clients.Count(c => c.Client.IsOpen);

    /// <summary>One line: how many connected, how long it took, and the first failure if any.</summary>
    public string Describe() =>
        $"connected {_clients.Count} clients in {Elapsed.TotalSeconds:F1} s" + (Failed > 0 ? $", {Failed} failed (first: {FirstError})" : "");

    /// <summary>Closes every client politely (a bounded wait), then drops what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        const int batch = 500;
        for (var i = 0; i < _clients.Count; i += batch)
        {
            await Task.WhenAll(_clients.Skip(i).Take(batch).Select(c => c.Client.CloseAsync(TimeSpan.FromSeconds(2))));
        }

        foreach (var c in _clients)
        {
            await c.Client.DisposeAsync();
        }
    }

    private static async Task<(RegisteredClient? Client, string? Error)> OpenOneAsync(
        Uri ws, Action<PushClient, Notification>? onNotification, bool autoAck, Action<PushClient, Notification>? onAcked, CancellationToken cancel)
    {
        PushClient? client = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            client = await PushClient.ConnectAsync(ws, timeout.Token);
            await client.HelloAsync(null, timeout.Token);
            var endpoint = await client.RegisterAsync(timeout.Token);
            client.Start(onNotification, autoAck, onAcked);
            return (new RegisteredClient(client, endpoint), null);
        }
        catch (Exception e)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
