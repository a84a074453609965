using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Push.Testing;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// A silo killed with SIGKILL in the middle of a stream of pushes: every push answered 201 reaches its
/// client exactly once (nothing acked comes again), and pushes are accepted again within seconds.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 200;
    private const int PushesPerSecond = 100;
    private static readonly TimeSpan StreamFor = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(4);
    private readonly ProcessCluster _cluster = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task SiloKilledMidStream_EveryAcceptedPushArrivesOnce()
    {
        var doomed = await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        var (_, ws) = await _cluster.StartConnectAsync();
        await _cluster.StartEndpointAsync();

        var setup = Stopwatch.StartNew();
        var receivers = (await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Receiver.StartAsync(ws)))).ToList();
        output.WriteLine($"{Clients} clients connected and registered in {setup.Elapsed:g}");

        var accepted = new ConcurrentDictionary<string, bool>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null, firstAcceptedAfterKill = null, lastRefusedAfterKill = null;
        var sequence = 0;

        // Open loop: pushes go out at a steady rate whatever the answers take.
        async Task PushOneAsync()
        {
            var id = $"p{Interlocked.Increment(ref sequence)}";
            var target = receivers[Random.Shared.Next(receivers.Count)];
            HttpStatusCode status;
            try
            {
                using var response = await _http.PushAsync(target.Endpoint, id, PushHttp.Aes128Gcm("3600"));
                status = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = HttpStatusCode.ServiceUnavailable;
            }

            var at = clock.Elapsed;
            if (status == HttpStatusCode.Created)
            {
                accepted[id] = true;
                if (killedAt is not null && at > killedAt)
                {
                    firstAcceptedAfterKill ??= at;
                }
            }
            else
            {
                Interlocked.Increment(ref refused);
                if (killedAt is not null)
                {
                    lastRefusedAfterKill = at;
                }
            }
        }

        var inFlight = new List<Task>();
        var stream = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / PushesPerSecond));
            while (clock.Elapsed < StreamFor && await tick.WaitForNextTickAsync())
            {
                lock (inFlight)
                {
                    inFlight.Add(PushOneAsync());
                }
            }
        });

        await Eventually.WaitAsync(() => clock.Elapsed > KillAt, TimeSpan.FromSeconds(30), "the moment to kill a silo");
        await doomed.KillAsync();
        killedAt = clock.Elapsed;
        await stream;
        await Task.WhenAll(inFlight);
        var streamed = clock.Elapsed;

        var received = await Eventually.WaitAsync(
            () => Task.FromResult(receivers.SelectMany(r => r.Received.Keys).ToHashSet()),
            got => accepted.Keys.All(got.Contains),
            TimeSpan.FromSeconds(90),
            "every accepted push to arrive");
        var settled = clock.Elapsed;
        var duplicates = receivers.Sum(r => r.DuplicatesAfterAck);
        output.WriteLine($"rate {PushesPerSecond}/s for {StreamFor.TotalSeconds} s to {Clients} clients; accepted {accepted.Count}, refused {refused}, " +
            $"received {received.Count}, repeated after ack {duplicates}; silo killed at {killedAt:g}; first 201 after it at {firstAcceptedAfterKill:g}; last refusal at {lastRefusedAfterKill:g}; stream done at {streamed:g}, all delivered at {settled:g}");
        await Task.WhenAll(receivers.Select(r => r.DisposeAsync().AsTask()));

        Assert.Equal(0, duplicates);
        Assert.True(accepted.Count > PushesPerSecond * StreamFor.TotalSeconds / 2, "too few pushes were accepted at all");
        Assert.NotNull(firstAcceptedAfterKill);
        Assert.True(firstAcceptedAfterKill - killedAt < TimeSpan.FromSeconds(10), $"pushes were accepted again only {firstAcceptedAfterKill - killedAt} after the kill");
    }

    /// <summary>A client that acks everything, records what arrived, and reconnects when dropped.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly Uri _ws;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<string, int> _acked = new();
        private Task _loop = Task.CompletedTask;
        private PushTestClient _client = null!;
        private string _uaid = string.Empty;
        private Guid _channel;

        private Receiver(Uri ws) => _ws = ws;

        public string Endpoint { get; private set; } = string.Empty;

        public ConcurrentDictionary<string, int> Received { get; } = new();

        public int DuplicatesAfterAck { get; private set; }

        public static async Task<Receiver> StartAsync(Uri ws)
        {
            var receiver = new Receiver(ws);
            receiver._client = await PushTestClient.ConnectAsync(ws);
            receiver._uaid = (string)(await receiver._client.HelloAsync())["uaid"]!;
            receiver._channel = Guid.NewGuid();
            receiver.Endpoint = (string)(await receiver._client.RegisterAsync(receiver._channel))["pushEndpoint"]!;
            receiver._loop = receiver.RunAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await _client.DisposeAsync();
        }

        private async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                string? text;
                try
                {
                    text = await _client.ReceiveTextAsync(TimeSpan.FromSeconds(1));
                }
                catch (OperationCanceledException)
                {
                    continue;
                }

                if (text is null)
                {
                    await ReconnectAsync();
                    continue;
                }

                var message = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
                if ((string?)message["messageType"] != "notification")
                {
                    continue;
                }

                var data = ((string)message["data"]!).Replace('-', '+').Replace('_', '/');
                var id = Encoding.UTF8.GetString(Convert.FromBase64String(data.PadRight(data.Length + (4 - data.Length % 4) % 4, '=')));
                if (_acked.ContainsKey(id))
                {
                    DuplicatesAfterAck++;
                }

                Received.AddOrUpdate(id, 1, (_, n) => n + 1);
                try
                {
                    await _client.AckAsync(_channel.ToString(), (string)message["version"]!);
                    _acked[id] = 1;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException)
                {
                    await ReconnectAsync();
                }
            }
        }

        private async Task ReconnectAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await _client.DisposeAsync();
                    _client = await PushTestClient.ConnectAsync(_ws);
                    await _client.HelloAsync(_uaid);
                    return;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException)
                {
                    await Task.Delay(200);
                }
            }
        }
    }
}
