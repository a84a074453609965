using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Push.Shared;
using Push.Silo.Commands;
using Push.Testing;
using Push.Testing.Streams;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// One Push process whose store becomes unreachable: the embedded store cut off from the process (its
/// socket gone, its connections dropped), or, when the run targets Redis, a redis-server of its own
/// killed with -9 and started again on its files; and a store that stalls mid-save. Pushes are
/// refused within a second while it lasts, the health routes say so, nothing refused ever reaches
/// the phone, acks and deletes meanwhile are carried out once the store is back, and the first push
/// after that is accepted.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class SingleProcessStoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<string> _received = [];
    private RestartableStore? _redis;
    private IStoreOutage _outage = null!;
    private TestHost _host = null!;
    private PushTestClient _client = null!;
    private string _uaid = string.Empty;
    private string _channel = string.Empty;
    private string _endpoint = string.Empty;

    public async Task InitializeAsync()
    {
        if (TestStore.RedisDsn is null)
        {
            _host = await TestHost.StartAsync(_data.Path);
            _outage = new EmbeddedStoreSocket(Path.Combine(_data.Path, "store.sock"));
        }
        else
        {
            _redis = await RestartableStore.StartAsync();
            _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["PUSH__DB_DSN"] = _redis.Dsn });
            _outage = _redis;
        }

        _client = await _host.ConnectAsync();
        _uaid = (string)(await _client.HelloAsync())["uaid"]!;
        var channel = Guid.NewGuid();
        _channel = channel.ToString();
        _endpoint = (string)(await _client.RegisterAsync(channel))["pushEndpoint"]!;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        // The store must be reachable while Push shuts down, or it waits out its store timeouts.
        await _outage.RestoreAsync();
        await _host.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task StoreUnreachable_RefusedWithinASecond_AcksAndDeletesCarriedOut_FirstPushAfterAccepted()
    {
        await AcceptedAsync("acked while down");
        var deleteUrl = await AcceptedAsync("deleted while down");
        var ackedVersion = await ReceiveAsync("acked while down");
        await ReceiveAsync("deleted while down");

        await _outage.BreakAsync();
        var answers = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await RefusedAsync($"refused {i}"));
        }

        Assert.Equal("ERROR", await HealthAsync(_host.InternalUri));
        Assert.Equal("ERROR", await HealthAsync(_host.EndpointUri));
        var (unhealthy, says) = await HealthcheckAsync();
        Assert.True(unhealthy == 1, says);
        Assert.StartsWith($"push: unhealthy: {_host.InternalUri}health: answered ", says, StringComparison.Ordinal);
        await _client.AckAsync(_channel, ackedVersion);
        using (var delete = await _http.DeleteAsync(deleteUrl))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, delete.StatusCode);
        }

        await _outage.RestoreAsync();
        var restoredAt = Stopwatch.StartNew();
        await Eventually.WaitAsync(() => HealthAsync(_host.InternalUri), s => s == "OK", Wait, "the health route to say OK again");
        var healthyAfter = restoredAt.Elapsed;
        var (healthy, said) = await HealthcheckAsync();
        Assert.True(healthy == 0, said);
        await AcceptedAsync("first after");
        await _client.AckAsync(_channel, await ReceiveAsync("first after"));

        output.WriteLine($"{_outage.Describe}: refusals answered in {string.Join(", ", answers.Select(a => $"{a.TotalMilliseconds:0}"))} ms; healthy {healthyAfter.TotalMilliseconds:0} ms after the store was back");
        // The ack and the delete sent while the store was down were carried out, and nothing refused is stored.
        await Eventually.WaitAsync(QueueAsync, q => q.Length == 0, Wait, "the user's queue to be empty");
        await AssertNothingStaleOnReconnectAsync();
    }

    [Fact]
    public async Task StoreStalls_RefusedWithinASecond_NeverDelivered()
    {
        var redis = _host.Host.Services.GetRequiredService<IConnectionMultiplexer>();
        // A blocking command holds the process's store connection: the save behind it is written, and
        // runs when the stall ends, after its push was refused.
        var stall = redis.GetDatabase().ExecuteAsync("BLPOP", $"push-test:stall:{Guid.NewGuid():N}", 2);
        var took = await RefusedAsync("refused in the stall");
        await stall.ContinueWith(_ => { }, TaskScheduler.Default);

        await Eventually.WaitAsync(() => HealthAsync(_host.InternalUri), s => s == "OK", Wait, "the health route to say OK again");
        await AcceptedAsync("after the stall");
        await _client.AckAsync(_channel, await ReceiveAsync("after the stall"));

        output.WriteLine($"{_outage.Describe}: refusal in the stall answered in {took.TotalMilliseconds:0} ms");
        await Eventually.WaitAsync(QueueAsync, q => q.Length == 0, Wait, "the refused message to be removed from the store");
        await AssertNothingStaleOnReconnectAsync();
    }

    /// <summary>A new connection drains the stored queue: only a push sent now may arrive, and nothing refused ever did.</summary>
    private async Task AssertNothingStaleOnReconnectAsync()
    {
        await _client.DisposeAsync();
        _client = await _host.ConnectAsync();
        Assert.Equal(_uaid, (string)(await _client.HelloAsync(_uaid))["uaid"]!);
        await AcceptedAsync("last");
        await ReceiveAsync("last");
        Assert.DoesNotContain(_received, data => data.StartsWith("refused", StringComparison.Ordinal));
    }

    private async Task<string> AcceptedAsync(string body)
    {
        using var response = await _http.PushAsync(_endpoint, body, PushHttp.Aes128Gcm("600"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    /// <summary>Pushes and expects 503 errno 201 with Retry-After within <see cref="AnswerLimit"/>; returns how long the answer took.</summary>
    private async Task<TimeSpan> RefusedAsync(string body)
    {
        var clock = Stopwatch.StartNew();
        using var response = await _http.PushAsync(_endpoint, body, PushHttp.Aes128Gcm("600"));
        var took = clock.Elapsed;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(201, await response.ErrnoAsync());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(took < AnswerLimit, $"\"{body}\" was answered after {took.TotalMilliseconds:0} ms");
        return took;
    }

    /// <summary>The next notification, which must carry <paramref name="body"/>; returns its version.</summary>
    private async Task<string> ReceiveAsync(string body)
    {
        var notification = await _client.NotificationAsync();
        var data = System.Text.Encoding.UTF8.GetString(PushHttp.FromBase64Url((string)notification["data"]!));
        _received.Add(data);
        Assert.Equal(body, data);
        return (string)notification["version"]!;
    }

    /// <summary>The container health check on <c>/health</c>: its exit code and what it printed.</summary>
    private async Task<(int Code, string Output)> HealthcheckAsync()
    {
        using var output = new StringWriter();
        var code = await CommandTable.RunAsync([HealthcheckCommand.Name, "all", "--path", HealthPaths.Health], output, output, new Dictionary<string, string?>(_host.Environment));
        return (code, output.ToString());
    }

    private async Task<string> HealthAsync(Uri host)
    {
        using var response = await _http.GetAsync(new Uri(host, "/health"));
        return (string)(await response.JsonAsync())["status"]!;
    }

    /// <summary>The user's stored queue, straight from the store.</summary>
    private async Task<string> QueueAsync() =>
        string.Join(", ", await _host.Host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().SortedSetRangeByRankAsync($"push:{{{_uaid}}}:q"));
}
